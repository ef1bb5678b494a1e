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

    /// <summary>Shortest gap between two typing events of one connection in one room.</summary>
    public TimeSpan TypingInterval { get; set; } = TimeSpan.FromSeconds(1);
}
