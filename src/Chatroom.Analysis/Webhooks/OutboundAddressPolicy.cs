using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Webhooks;

/// <summary>
/// The SSRF guard: which addresses a webhook may connect to. Loopback, private (RFC 1918, unique-local), link-local
/// (cloud metadata at 169.254.169.254 among them), carrier-grade NAT, multicast and unspecified addresses are refused
/// unless <c>Chatroom:Webhooks:AllowedNetworks</c> lists a network holding them. Checked on the address actually
/// connected to, after DNS, so a name resolving to an inside address is refused too.
/// </summary>
public sealed class OutboundAddressPolicy
{
    private static readonly IPNetwork[] Inside =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    private readonly IPNetwork[] _allowed;

    public OutboundAddressPolicy(IOptions<WebhookOptions> options) => _allowed = [.. options.Value.AllowedNetworks.Select(IPNetwork.Parse)];

    public bool IsAllowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return !Inside.Any(n => n.Contains(address)) || _allowed.Any(n => n.BaseAddress.AddressFamily == address.AddressFamily && n.Contains(address));
    }

    /// <summary>Connects to the first allowed address of <paramref name="endpoint"/>; refuses when none is.</summary>
    public async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        var allowed = addresses.FirstOrDefault(IsAllowed)
            ?? throw new WebhookRefusedException($"{endpoint.Host} resolves only to addresses webhooks may not reach (loopback, private or link-local)");
        var socket = new Socket(allowed.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(allowed, endpoint.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
