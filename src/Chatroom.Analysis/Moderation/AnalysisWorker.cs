using System.Diagnostics;
using Chatroom.Analysis.Guardian;
using Chatroom.Analysis.Moderation.Llm;
using Chatroom.Analysis.Webhooks;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Core.Messages;
using Chatroom.Core.Moderation;
using Chatroom.Core.Queues;
using Chatroom.Core.Rooms;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Moderation;

/// <summary>
/// Consumes the analysis queue (a consumer group, fed after each message is stored): classifies each stored message through the cascade, stores
/// the verdict, applies the room's policy to unsafe ones, tells admins, and watches room trends. An entry is
/// acknowledged only after its verdict is stored, so a crashed worker's entries are delivered to another.
/// </summary>
internal sealed partial class AnalysisWorker(
    IWorkQueue queue,
    IMessageLog log,
    IModerationStore store,
    ModerationCascade cascade,
    ModerationActions actions,
    TrendWatcher trends,
    IChatBus bus,
    AnalysisMetrics metrics,
    IOptionsMonitor<AnalysisOptions> options,
    TimeProvider time,
    ILogger<AnalysisWorker> logger,
    IRoomRulesStore roomRules,
    PolicyReviewer? reviewer = null,
    GuardianMonitor? guardian = null,
    WebhookDispatcher? webhooks = null) : BackgroundService
{
    private const string Actor = "moderation";
    private static readonly TimeSpan BacklogReportInterval = TimeSpan.FromSeconds(1);
    private long _backlogReportedAt;
    private readonly string _consumer = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.CurrentValue.Workers).Select(i => ConsumeAsync($"{_consumer}-{i}", stoppingToken)));

    /// <summary>Classifies and records one batch; returns how many entries it acknowledged.</summary>
    internal async Task<int> ProcessAsync(IReadOnlyList<QueueEntry> entries, CancellationToken cancellationToken)
    {
        var acknowledged = 0;
        foreach (var room in entries.GroupBy(e => e.Item.Room))
        {
            var batch = new List<(QueueEntry Entry, ChatMessage Message)>();
            foreach (var entry in room)
            {
                if (await log.GetAsync(entry.Item.Room, entry.Item.MessageId, cancellationToken) is { } message)
                {
                    batch.Add((entry, message));
                }
                else
                {
                    // The room or message is gone: nothing to classify.
                    await queue.AckAsync(QueueNames.Analysis, entry.Id, cancellationToken);
                    acknowledged++;
                }
            }

            if (batch.Count == 0)
            {
                continue;
            }

            using var activity = ChatMetrics.ActivitySource.StartActivity("analysis.classify", ActivityKind.Consumer,
                batch[0].Entry.Item.TraceParent is { } parent && ActivityContext.TryParse(parent, null, out var context) ? context : default);
            activity?.SetTag("chatroom.room", room.Key);
            activity?.SetTag("chatroom.batch", batch.Count);

            var contextTexts = await ContextAsync(room.Key, batch[0].Message.Id, cancellationToken);
            var verdicts = await cascade.ClassifyAsync(batch.Select(b => b.Message.Text).ToList(), contextTexts,
                options.CurrentValue.LlmFor(room.Key), cancellationToken);
            // The batch's verdicts are stored (and its entries acknowledged) together: with group commit that is one
            // commit for all of them instead of one per message on the chat database's writer.
            await Task.WhenAll(batch.Select(async (b, i) =>
            {
                await RecordAsync(b.Message, verdicts[i], cancellationToken);
                await queue.AckAsync(QueueNames.Analysis, b.Entry.Id, cancellationToken);
            }));
            acknowledged += batch.Count;

            await trends.CheckAsync(room.Key, cancellationToken);
            if (guardian is not null)
            {
                await guardian.ObserveAsync(room.Key, batch.Max(b => b.Message.Id), cancellationToken);
            }
        }

        return acknowledged;
    }

    private async Task ConsumeAsync(string consumer, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var entries = await queue.ReadAsync(QueueNames.Analysis, consumer, options.CurrentValue.BatchSize, TimeSpan.FromSeconds(1), stoppingToken);
                await ReportBacklogAsync(stoppingToken);
                if (entries.Count > 0)
                {
                    await ProcessAsync(entries, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Unacknowledged entries come back after the claim timeout; back off so an outage is not a busy loop.
                LogBatchFailed(logger, e, consumer);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    /// <summary>The backlog gauge, counted at most once a second per process: counting is a scan of the queue.</summary>
    private async Task ReportBacklogAsync(CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _backlogReportedAt);
        if (last != 0 && time.GetElapsedTime(last, now) < BacklogReportInterval || Interlocked.CompareExchange(ref _backlogReportedAt, now, last) != last)
        {
            return;
        }

        metrics.Backlog(await queue.BacklogAsync(QueueNames.Analysis, cancellationToken));
    }

    private async Task<IReadOnlyList<string>> ContextAsync(string room, long firstId, CancellationToken cancellationToken)
    {
        var count = options.CurrentValue.ContextMessages;
        if (count == 0)
        {
            return [];
        }

        var before = await log.ReadAsync(room, new MessageQuery(firstId, null, count), cancellationToken);
        return before.Where(m => !m.Hidden).Select(m => $"{m.AuthorName}: {m.Text}").ToList();
    }

    private async Task RecordAsync(ChatMessage message, ModerationVerdict verdict, CancellationToken cancellationToken)
    {
        // Before the verdict, so a crash in between cannot lose them: ids are per event, a second run adds nothing.
        if (webhooks is not null)
        {
            await webhooks.MessageStoredAsync(message, cancellationToken);
        }

        var now = time.GetUtcNow();
        var record = new VerdictRecord(message.Room, message.Id, message.AuthorId, verdict.Mood, verdict.MoodScore, verdict.Safety,
            verdict.UnsafeScore, verdict.Categories, verdict.Tier, verdict.Confidence, now, verdict.Model, verdict.Fallback);
        if (!await store.SaveVerdictAsync(record, cancellationToken))
        {
            // Redelivered after a crash between storing and acknowledging: it was recorded and acted on already.
            return;
        }

        metrics.Verdict(message.Room, verdict.Mood, verdict.Safety, verdict.Tier, verdict.Categories);
        metrics.Lag(now - message.SentAt);
        string? action = null;
        // People and programs (bots, webhooks, bridged users) are moderated alike; the service's own agents and notices are not.
        if (verdict.IsUnsafe && message.Kind is not (MessageKind.System or MessageKind.Agent))
        {
            var review = reviewer is null ? null
                : await reviewer.ReviewAsync(message.Text, (await roomRules.GetAsync(message.Room, cancellationToken))?.Text, cancellationToken);
            action = await ActAsync(message, record, review, cancellationToken);
            metrics.Action(action);
            if (webhooks is not null)
            {
                await webhooks.FlagRaisedAsync(message, record, action, cancellationToken);
            }
        }

        var evt = new AnalysisEvent("verdict", message.Room, message.Id, message.AuthorName, verdict, action);
        await bus.PublishAsync(new ChatEvent(ChatEventTypes.Analysis, null, ChatJson.ToElement(evt)), cancellationToken);
    }

    /// <param name="review">The policy model's decision, when one is configured and answered.</param>
    private async Task<string> ActAsync(ChatMessage message, VerdictRecord verdict, PolicyDecision? review, CancellationToken cancellationToken)
    {
        var policy = options.CurrentValue;
        var fallback = verdict.Fallback switch
        {
            null => "",
            ModerationVerdict.FallbackCircuitOpen => "; the LLM tier was not asked: its circuit is open",
            _ => "; the LLM tier gave no answer",
        };
        var reviewed = review switch
        {
            null => "",
            { Violates: true } => $"; policy model {review.Model}: {review.Rule ?? "breaks the rules"}: {review.Reason}",
            _ => $"; policy model {review.Model} finds it within the rules, so it waits for a moderator: {review.Reason}",
        };
        var reason = $"unsafe ({string.Join(", ", verdict.Categories)}; score {verdict.UnsafeScore:F2}, {verdict.Tier} tier{fallback}){reviewed}";
        await actions.FlagAsync(message, verdict, Actor, reason, cancellationToken);
        if (review is { Violates: false })
        {
            // Two tiers disagree: a person decides, nothing is hidden or muted automatically.
            return ModerationActionNames.Flag;
        }

        switch (policy.ActionFor(message.Room))
        {
            case UnsafeAction.Hide:
                await actions.HideAsync(message.Room, message.Id, Actor, reason, null, cancellationToken);
                return ModerationActionNames.Hide;
            case UnsafeAction.Mute:
                await actions.HideAsync(message.Room, message.Id, Actor, reason, null, cancellationToken);
                await actions.MuteAsync(message.Room, message.AuthorId, message.AuthorName, TimeSpan.FromSeconds(policy.MuteSeconds), Actor, reason, message.Id, cancellationToken);
                return ModerationActionNames.Mute;
            case UnsafeAction.SlowMode:
                await actions.SlowModeAsync(message.Room, policy.SlowModeSeconds, Actor, reason, cancellationToken);
                return ModerationActionNames.SlowMode;
            default:
                return ModerationActionNames.Flag;
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Analysis consumer {Consumer} failed a batch; its entries will be redelivered")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, string consumer);
}
