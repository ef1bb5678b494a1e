using System.Net;
using System.Net.Sockets;
using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Chatroom.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chatroom.SocketServer.Guards;

/// <summary>
/// Counts the open requests under <c>/hubs</c> per client address (a WebSocket connection is one request for its whole
/// life; negotiate is a short one) and refuses more than <see cref="SocketOptions.MaxConnectionsPerAddress"/> with
/// 429 <c>too_many_connections</c>, before the WebSocket upgrade. IPv6 clients count per /64, the block one subscriber
/// usually gets. The address is the TCP peer's, or the forwarded one when the request came through a trusted proxy
/// (ServiceDefaults' forwarded headers, docs/configuration.md).
/// </summary>
internal sealed partial class ConnectionsPerAddress(IOptions<SocketOptions> options, ChatMetrics metrics, ILogger<ConnectionsPerAddress> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, int> _open = [];

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var address = KeyOf(context.Connection.RemoteIpAddress);
        var limit = options.Value.MaxConnectionsPerAddress;
        if (!TryOpen(address, limit))
        {
            metrics.Refused(ErrorCodes.TooManyConnections);
            LogRefused(logger, limit);
            await ChatProblems.WriteAsync(context, ErrorCodes.TooManyConnections,
                $"at most {limit} connections may be open from one address; close some and try again", TimeSpan.FromSeconds(5));
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            Close(address);
        }
    }

    private bool TryOpen(IPAddress address, int limit)
    {
        lock (_gate)
        {
            var open = _open.GetValueOrDefault(address);
            if (open >= limit)
            {
                return false;
            }

            _open[address] = open + 1;
            return true;
        }
    }

    private void Close(IPAddress address)
    {
        lock (_gate)
        {
            if (_open.TryGetValue(address, out var open) && open > 1)
            {
                _open[address] = open - 1;
            }
            else
            {
                _open.Remove(address);
            }
        }
    }

    private static IPAddress KeyOf(IPAddress? address)
    {
        if (address is null)
        {
            return IPAddress.None;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    [LoggerMessage(EventId = 3104, Level = LogLevel.Debug, Message = "Hub connection refused: {Limit} connections are already open from its address")]
    private static partial void LogRefused(ILogger logger, int limit);
}
