namespace Chatroom.Core.Presence;

/// <summary>
/// Port: who is connected and who is in which room. Entries belong to a node; a node that stops
/// heartbeating loses its entries, so users of a dead node drop out.
/// </summary>
public interface IPresenceStore
{
    ValueTask ConnectAsync(PresenceEntry entry, CancellationToken cancellationToken);

    /// <summary>Removes the connection from every room; returns the rooms the user has left altogether.</summary>
    ValueTask<IReadOnlyList<string>> DisconnectAsync(string connectionId, CancellationToken cancellationToken);

    /// <summary>Adds the connection to the room; true when the user was not present there before.</summary>
    ValueTask<bool> JoinAsync(string room, PresenceEntry entry, CancellationToken cancellationToken);

    /// <summary>Removes the connection from the room; true when the user has no connection left there.</summary>
    ValueTask<bool> LeaveAsync(string room, string connectionId, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<PresentUser>> ListAsync(string room, CancellationToken cancellationToken);

    /// <summary>Distinct users with at least one live connection.</summary>
    ValueTask<long> CountUsersAsync(CancellationToken cancellationToken);

    /// <summary>Marks the node alive for the presence time-to-live.</summary>
    ValueTask HeartbeatAsync(string node, CancellationToken cancellationToken);

    /// <summary>
    /// Removes every entry of <paramref name="node"/> left from an earlier run: a node restarting under the same name
    /// would otherwise renew its old heartbeat and keep its dead connections present. Returns who left which room.
    /// </summary>
    ValueTask<IReadOnlyList<PresenceDeparture>> ResetNodeAsync(string node, CancellationToken cancellationToken);

    /// <summary>Removes entries of nodes whose heartbeat expired; returns who left which room.</summary>
    ValueTask<IReadOnlyList<PresenceDeparture>> SweepAsync(CancellationToken cancellationToken);
}
