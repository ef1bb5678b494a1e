namespace Chatroom.Core.Presence;

/// <summary><c>Chatroom:Presence</c>: how often nodes heartbeat and when a silent node counts as dead.</summary>
public sealed class PresenceOptions
{
    public const string Section = "Chatroom:Presence";

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
