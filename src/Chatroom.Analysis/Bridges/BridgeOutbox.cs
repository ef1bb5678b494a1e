using System.Collections.Concurrent;
using Chatroom.Core.Bridges;
using Chatroom.Core.Messages;

namespace Chatroom.Analysis.Bridges;

/// <summary>
/// The bridge's outgoing side. The rooms' message logs are its outbox: each mapped room has a cursor in the store (the
/// last message sent), and sending means reading the log after it. So messages posted while the peer is away go out
/// after the reconnect, in order, even when another node has taken the bridge over meanwhile. A bridge new to a room
/// starts at the room's present rather than replaying its history. Sending is at least once: a message sent just before
/// a connection broke may be sent again, with the same <c>id</c>, for the peer to dedupe.
/// </summary>
public sealed class BridgeOutbox(string name, BridgeOptions bridge, IMessageLog log, IBridgeStore store, BridgeMetrics metrics)
{
    private const int PageSize = 100;

    private readonly string _ownPrefix = BridgeInbound.UserIdPrefix(name);
    private readonly ConcurrentDictionary<string, bool> _due = new(StringComparer.Ordinal);

    /// <summary>Messages sent to the peer since this node took the bridge.</summary>
    public long Sent { get; private set; }

    /// <summary>Something may be waiting in <paramref name="room"/> (a message event, or a lapse of the bus).</summary>
    public void MarkDue(string room) => _due[room] = true;

    public void MarkAllDue()
    {
        foreach (var room in bridge.RoomMap.Keys)
        {
            MarkDue(room);
        }
    }

    /// <summary>Sends what waits in every room marked due, oldest first.</summary>
    public async Task SendDueAsync(Func<BridgeFrame, CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        foreach (var room in bridge.RoomMap.Keys)
        {
            if (_due.TryRemove(room, out _))
            {
                await SendPendingAsync(room, send, cancellationToken);
            }
        }
    }

    private async Task SendPendingAsync(string room, Func<BridgeFrame, CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        var cursor = await CursorAsync(room, cancellationToken);
        while (true)
        {
            var page = await log.ReadAsync(room, new MessageQuery(null, cursor, PageSize), cancellationToken);
            if (page.Count == 0)
            {
                return;
            }

            var recorded = cursor;
            foreach (var message in page)
            {
                cursor = message.Id;
                if (ShouldSend(message))
                {
                    await send(Frame(bridge.RoomMap[room], message), cancellationToken);
                    Sent++;
                    metrics.Carried(name, "out");

                    // Recorded even when the connection is going down meanwhile: the peer has this message, and sending
                    // it again after the reconnect is the duplicate the cursor is there to avoid.
                    await store.AdvanceCursorAsync(name, room, cursor, CancellationToken.None);
                    recorded = cursor;
                }
            }

            if (recorded != cursor)
            {
                await store.AdvanceCursorAsync(name, room, cursor, cancellationToken);
            }

            if (page.Count < PageSize)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The loop guard: never what this bridge posted (it came from the peer). Neither notices nor messages moderation hid
    /// before they were sent. Other bridges' messages do go out; the hop limit stops endless chains between bridges.
    /// </summary>
    private bool ShouldSend(ChatMessage message) =>
        message.Kind != MessageKind.System && !message.Hidden
        && !(message.Kind == MessageKind.Bridge && message.AuthorId.StartsWith(_ownPrefix, StringComparison.Ordinal));

    private static BridgeFrame Frame(string channel, ChatMessage message) => new(
        BridgeFrame.Message, channel,
        new BridgeFrameSender(message.AuthorId, message.AuthorName, BridgeFrame.KindOf(message.Kind)),
        message.Text, $"{message.Room}/{message.Id}", message.SentAt);

    /// <summary>Read from the store each time: it is the one record of what the peer has, whichever connection or node sent it.</summary>
    private async Task<long> CursorAsync(string room, CancellationToken cancellationToken)
    {
        if (await store.GetCursorAsync(name, room, cancellationToken) is not { } cursor)
        {
            var newest = await log.ReadAsync(room, new MessageQuery(null, null, 1), cancellationToken);
            cursor = newest.Count > 0 ? newest[^1].Id : 0;
            await store.AdvanceCursorAsync(name, room, cursor, cancellationToken);
        }

        return cursor;
    }
}
