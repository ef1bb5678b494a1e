namespace Chatroom.Core.Agents;

/// <summary>
/// A round-robin discussion between agents in a room, as stored: who takes part, on what, how far it got, and which
/// analysis node runs it until when (a lease it renews; when it lapses — the node stopped — another node continues).
/// </summary>
public sealed record DiscussionState(
    string Room,
    IReadOnlyList<string> Agents,
    string Topic,
    int Turns,
    string StartedBy,
    DateTimeOffset StartedAt,
    int TurnsTaken = 0,
    long LastMessageId = 0,
    string? Owner = null,
    DateTimeOffset? LeaseUntil = null);

/// <summary>Port: running discussions, one per room; they outlive the process that started them.</summary>
public interface IDiscussionStore
{
    /// <summary>Stores a new discussion; false when the room has one already.</summary>
    Task<bool> TryStartAsync(DiscussionState discussion, CancellationToken cancellationToken);

    Task<DiscussionState?> GetAsync(string room, CancellationToken cancellationToken);

    Task<IReadOnlyList<DiscussionState>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Takes the discussion for <paramref name="owner"/> until <paramref name="leaseUntil"/> when nobody holds it, its lease
    /// lapsed before <paramref name="now"/>, or <paramref name="owner"/> holds it already; the claimed state, or null.
    /// </summary>
    Task<DiscussionState?> TryClaimAsync(string room, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Records progress and renews the lease while <paramref name="owner"/> holds it; false when it was stopped or taken over.</summary>
    Task<bool> UpdateAsync(string room, string owner, int turnsTaken, long lastMessageId, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Removes (stops or ends) the room's discussion; the removed state, or null when there was none.</summary>
    Task<DiscussionState?> RemoveAsync(string room, CancellationToken cancellationToken);
}
