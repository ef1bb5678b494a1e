namespace Chatroom.Core.Messages;

/// <summary>Port: the per-room, append-only message log.</summary>
public interface IMessageLog
{
    /// <summary>
    /// Appends durably and returns the stored message. A message whose (room, author, client id)
    /// was stored before is not stored again: the first one comes back with Duplicate set.
    /// </summary>
    Task<AppendResult> AppendAsync(NewMessage message, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// A page in ascending id order. Only <c>After</c>: the oldest after it. Otherwise the newest
    /// matching messages (before <c>Before</c> when given, after <c>After</c> when given).
    /// </summary>
    Task<IReadOnlyList<ChatMessage>> ReadAsync(string room, MessageQuery query, CancellationToken cancellationToken);

    Task<ChatMessage?> GetAsync(string room, long id, CancellationToken cancellationToken);

    /// <summary>Marks a message hidden or visible again; false when there is no such message.</summary>
    Task<bool> SetHiddenAsync(string room, long id, bool hidden, CancellationToken cancellationToken);

    /// <summary>Messages stored across all rooms.</summary>
    Task<long> CountAsync(CancellationToken cancellationToken);
}
