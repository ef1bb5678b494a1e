namespace Chatroom.Core.Messages;

/// <summary>
/// Optional port of a backend that stores a message and announces it in one step: the append, the bus event and the
/// work-queue entries written together, so an acknowledged message always has its queue entries and a failed one leaves
/// nothing. <see cref="Chat.ChatService"/> uses it when registered and otherwise appends, publishes and enqueues itself.
/// </summary>
public interface IMessageSendPath
{
    /// <summary>
    /// Appends like <see cref="IMessageLog.AppendAsync"/>; for a new message also publishes
    /// <see cref="MessageAnnouncement.Event"/> of the stored message and enqueues it on
    /// <see cref="MessageAnnouncement.Queues"/>, as far as <see cref="SendOutcome"/> says it did. A duplicate is neither
    /// published nor queued again here.
    /// </summary>
    Task<SendOutcome> AppendAndAnnounceAsync(NewMessage message, DateTimeOffset now, MessageAnnouncement announcement, CancellationToken cancellationToken);
}
