using System.ComponentModel.DataAnnotations;

namespace Chatroom.Web.Gateway;

/// <summary>
/// Configuration section <c>Chatroom:Web:Gateway</c>: when the services run apart (Aspire, Kubernetes without an
/// Ingress doing the routing), the web host forwards <c>/api</c>, <c>/mcp</c> and <c>/hubs</c> to them so the browser sees one origin.
/// Addresses are resolved through service discovery (<c>services:api:http:0</c> and so on), so <c>http://api</c> works.
/// </summary>
public sealed class ChatGatewayOptions
{
    public const string SectionName = "Chatroom:Web:Gateway";

    public bool Enabled { get; set; }

    [Required, Url]
    public string Api { get; set; } = "http://api";

    [Required, Url]
    public string SocketServer { get; set; } = "http://socketserver";

    [Required, Url]
    public string Analysis { get; set; } = "http://analysis";
}
