namespace Chatroom.Web;

/// <summary>The body of <c>GET /config.json</c>: what the browser app needs to find the API and hub.</summary>
public sealed record ClientConfig(string ApiBase, string HubUrl);
