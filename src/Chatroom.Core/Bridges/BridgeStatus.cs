namespace Chatroom.Core.Bridges;

/// <summary>
/// A bridge's state as its holder last reported it: where it connects (never its secret), its state (see
/// <see cref="BridgeStates"/>), the holding node, since when it is connected, its last error, and its counters.
/// </summary>
public sealed record BridgeStatus(
    string Name,
    string Url,
    string State,
    string? Holder,
    DateTimeOffset? ConnectedSince,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    long MessagesIn,
    long MessagesOut,
    long Dropped,
    DateTimeOffset UpdatedAt);

/// <summary>The states a bridge is in, as the admin page and <c>GET /api/admin/bridges</c> show them.</summary>
public static class BridgeStates
{
    /// <summary>Connected to its peer: messages flow both ways.</summary>
    public const string Connected = "connected";

    /// <summary>Opening the connection (or saying hello on it).</summary>
    public const string Connecting = "connecting";

    /// <summary>Waiting before the next try after a failed connection.</summary>
    public const string Backoff = "backoff";

    /// <summary>No node holds the bridge right now (none configured it, or the holder stopped and its lease has not run out yet).</summary>
    public const string Standby = "standby";
}
