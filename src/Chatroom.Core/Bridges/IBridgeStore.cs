namespace Chatroom.Core.Bridges;

/// <summary>
/// Port: who holds each configured bridge, what its holder last reported, and how far each of its rooms has been sent.
/// The lease is what makes a bridge run on exactly one node: it expires unless its holder renews it, so when the holder
/// dies another node takes over. The room's message log is the bridge's outbox; the cursor says where sending stopped.
/// </summary>
public interface IBridgeStore
{
    /// <summary>
    /// Takes the bridge's lease for <paramref name="node"/> when nobody holds it (or the lease ran out), or renews it when
    /// <paramref name="node"/> holds it; either way it then lasts <paramref name="ttl"/>. False when another node holds it.
    /// </summary>
    Task<bool> TryHoldAsync(string bridge, string node, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Gives the lease up at once when <paramref name="node"/> holds it (a clean stop); otherwise changes nothing.</summary>
    Task ReleaseAsync(string bridge, string node, CancellationToken cancellationToken);

    /// <summary>The node holding the bridge's lease now, or null when nobody does.</summary>
    Task<string?> GetHolderAsync(string bridge, CancellationToken cancellationToken);

    /// <summary>Stores the bridge's state as its holder sees it, replacing what was stored before.</summary>
    Task SaveStatusAsync(BridgeStatus status, CancellationToken cancellationToken);

    /// <summary>Every bridge's last stored state, by name.</summary>
    Task<IReadOnlyList<BridgeStatus>> ListStatusesAsync(CancellationToken cancellationToken);

    /// <summary>The id of the last message of <paramref name="room"/> sent to the bridge's peer, or null before the first.</summary>
    Task<long?> GetCursorAsync(string bridge, string room, CancellationToken cancellationToken);

    /// <summary>Moves the cursor forward to <paramref name="messageId"/>; an older id leaves it where it is.</summary>
    Task AdvanceCursorAsync(string bridge, string room, long messageId, CancellationToken cancellationToken);
}
