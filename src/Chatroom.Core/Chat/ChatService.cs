using Chatroom.Core.Bus;
using Chatroom.Core.Errors;
using Chatroom.Core.Messages;
using Chatroom.Core.Queues;
using Chatroom.Core.Rooms;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chatroom.Core.Chat;

/// <summary>
/// The path of one message after the caller's own checks: validate, store durably,
/// then fan out and enqueue for analysis. People, broadcasts and agents all post through here. A backend with an
/// <see cref="IMessageSendPath"/> (Redis) does the store, the fan-out and the queue writes in one step.
/// </summary>
public sealed partial class ChatService(
    IRoomStore rooms,
    IMessageLog log,
    IChatBus bus,
    IWorkQueue queue,
    QueueRetry queueRetry,
    IOptions<ChatOptions> options,
    ChatMetrics metrics,
    LoopGuard loops,
    TimeProvider time,
    ILogger<ChatService> logger,
    IMessageSendPath? sendPath = null)
{
    private static readonly string[] AnalysisOnly = [QueueNames.Analysis];
    private static readonly string[] AnalysisAndAgents = [QueueNames.Analysis, QueueNames.Agents];

    private readonly ChatOptions _options = options.Value;

    /// <summary>Refuses empty, whitespace-only and over-long text.</summary>
    public string ValidateText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ChatException(ErrorCodes.EmptyText, "the message is empty");
        }

        var length = CountCharacters(text);
        if (length > _options.MaxMessageLength)
        {
            throw new ChatException(ErrorCodes.TextTooLong,
                $"the message has {length} characters; the limit is {_options.MaxMessageLength}");
        }

        return text;
    }

    /// <summary>The room, or an <c>unknown_room</c> refusal.</summary>
    public async Task<Room> GetRoomAsync(string room, CancellationToken cancellationToken)
    {
        RoomNames.Validate(room);
        return await rooms.GetAsync(room, cancellationToken) ?? throw UnknownRoom(room);
    }

    /// <summary>The refusal for a room that does not exist, and for a members-only room the caller may not see.</summary>
    public static ChatException UnknownRoom(string room) => new(ErrorCodes.UnknownRoom, $"there is no room '{room}'");

    /// <summary>Stores the message (once per client id), then publishes and enqueues it; refuses one beyond the hop limit.</summary>
    public async Task<AppendResult> PostAsync(NewMessage message, CancellationToken cancellationToken)
    {
        ValidateText(message.Text);
        loops.EnsureAdmitted(message.Kind, message.Hop);
        using var activity = ChatMetrics.ActivitySource.StartActivity("chat.post");
        activity?.SetTag("chatroom.room", message.Room);

        var started = time.GetTimestamp();
        var queues = message.Kind == MessageKind.System ? AnalysisOnly : AnalysisAndAgents;
        var (result, published, queued) = sendPath is null
            ? new SendOutcome(await log.AppendAsync(message, time.GetUtcNow(), cancellationToken), Published: false, Queued: false)
            : await sendPath.AppendAndAnnounceAsync(message, time.GetUtcNow(),
                new MessageAnnouncement(MessageEvent, queues, System.Diagnostics.Activity.Current?.Id), cancellationToken);

        metrics.AppendDuration(time.GetElapsedTime(started));
        var stored = result.Message;

        if (result.Duplicate)
        {
            // A retry may follow an attempt that stored the message but never announced it (the reply was lost, or the
            // publish failed), so a duplicate is announced again; clients merge messages by id.
            await PublishAsync(stored, cancellationToken);
            return result;
        }

        metrics.MessageStored(message.Kind.ToString().ToLowerInvariant());

        // The queue write runs while the message fans out; the sender's acknowledgement waits for both.
        var enqueued = queued ? Task.CompletedTask : EnqueueAsync(stored, queues);
        if (!published)
        {
            await PublishAsync(stored, cancellationToken);
        }

        await enqueued;
        return result;
    }

    private async Task EnqueueAsync(ChatMessage stored, string[] queues)
    {
        var item = new WorkItem(stored.Room, stored.Id, System.Diagnostics.Activity.Current?.Id);
        try
        {
            // The message is stored, so its analysis is owed: the sender leaving mid-send does not cancel the write,
            // and a failed write is tried again in the background rather than dropped.
            await queue.EnqueueAsync(queues, item, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogEnqueueFailed(logger, e, stored.Room, stored.Id);
            queueRetry.Add(queues, item);
        }
    }

    private async Task PublishAsync(ChatMessage stored, CancellationToken cancellationToken)
    {
        try
        {
            await bus.PublishAsync(MessageEvent(stored), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Stored but not fanned out: clients recover it from the log by lastSeenId, or a retried send announces it.
            LogPublishFailed(logger, e, stored.Room, stored.Id);
        }
    }

    /// <summary>The bus event of a stored message, as every node's clients receive it.</summary>
    private static ChatEvent MessageEvent(ChatMessage stored) =>
        new(ChatEventTypes.Message, stored.Room, ChatJson.ToElement(stored.VisibleTo(isAdmin: false)));

    /// <summary>Unicode scalar values, so an emoji counts as one character.</summary>
    public static int CountCharacters(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Message {Room}/{Id} was stored but could not be published")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string room, long id);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Message {Room}/{Id} was stored but could not be queued for analysis; the write is tried again in the background")]
    private static partial void LogEnqueueFailed(ILogger logger, Exception exception, string room, long id);
}
