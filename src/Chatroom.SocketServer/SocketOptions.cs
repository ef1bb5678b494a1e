using System.ComponentModel.DataAnnotations;

namespace Chatroom.SocketServer;

/// <summary><c>Chatroom:Sockets</c>.</summary>
public sealed class SocketOptions
{
    public const string Section = "Chatroom:Sockets";

    /// <summary>This node's name in presence entries; unique per process.</summary>
    public string NodeId { get; set; } = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Largest hub message accepted, in bytes.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxReceiveMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Sustained hub invocations per second per connection, every method counted (messages have their own, lower limit too).</summary>
    [Range(0.1, 100_000)]
    public double InvocationsPerSecond { get; set; } = 20;

    /// <summary>Invocations a connection may make at once before <see cref="InvocationsPerSecond"/> applies.</summary>
    [Range(1, 100_000)]
    public int InvocationBurst { get; set; } = 50;

    /// <summary>
    /// Refused invocations a connection may pile up beyond the sustained rate before it is closed (<c>rate_limited</c>,
    /// no reconnect): a client that backs off is never closed, one that floods at ten times the rate is within seconds.
    /// </summary>
    [Range(1, 1_000_000)]
    public int RefusalsBeforeClose { get; set; } = 100;

    /// <summary>Open hub connections (and negotiate requests) per client address; more are refused with 429 <c>too_many_connections</c>.</summary>
    [Range(1, 10_000_000)]
    public int MaxConnectionsPerAddress { get; set; } = 500;

    /// <summary>How long a new connection has to send the SignalR handshake before it is closed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Shortest gap between two typing events of one connection in one room.</summary>
    public TimeSpan TypingInterval { get; set; } = TimeSpan.FromSeconds(1);
}
