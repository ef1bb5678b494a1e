using Chatroom.Analysis.Moderation.Llm;
using Chatroom.Core.Moderation;
using Chatroom.Core.Queues;
using Chatroom.Core.Rooms;

namespace Chatroom.Analysis.Moderation;

/// <summary>
/// Consumes the appeals queue (written by the API when an author appeals): asks the policy model, where one is configured,
/// whether the appealed message breaks the server's and the room's rules, and records its advice on the flag and in the
/// audit log. Advice only: a moderator restores or upholds. Without a policy model the entries are acknowledged unread,
/// so the queue does not grow.
/// </summary>
internal sealed partial class AppealWorker(
    IWorkQueue queue,
    IModerationStore store,
    IRoomRulesStore roomRules,
    ModerationActions actions,
    TimeProvider time,
    ILogger<AppealWorker> logger,
    PolicyReviewer? reviewer = null) : BackgroundService
{
    private const string Actor = "moderation";
    public const string AdviceAction = "appeal_advice";

    private readonly string _consumer = $"{Environment.MachineName}-{Environment.ProcessId}-appeals";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var entry in await queue.ReadAsync(QueueNames.Appeals, _consumer, 8, TimeSpan.FromSeconds(1), stoppingToken))
                {
                    await AdviseAsync(entry.Item, stoppingToken);
                    await queue.AckAsync(QueueNames.Appeals, entry.Id, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Unacknowledged entries come back after the claim timeout; back off so an outage is not a busy loop.
                LogFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    private async Task AdviseAsync(WorkItem item, CancellationToken cancellationToken)
    {
        if (reviewer is null ||
            await store.GetFlagAsync(item.Room, item.MessageId, cancellationToken) is not { State: FlagStates.Appealed, Appeal: { Advice: null } appeal } flag)
        {
            return;
        }

        var rules = await roomRules.GetAsync(item.Room, cancellationToken);
        if (await reviewer.ReviewAppealAsync(flag.Text, appeal.Reason, rules?.Text, cancellationToken) is not { } decision)
        {
            // The model gave no usable answer (its failure is logged and counted): the moderator decides without advice.
            return;
        }

        var advice = new AppealAdvice(decision.Violates ? AppealAdvice.Uphold : AppealAdvice.Restore, decision.Rule, decision.Reason, decision.Model, time.GetUtcNow());
        if (await store.AdviseAppealAsync(flag.Id, advice, cancellationToken))
        {
            await actions.AuditAsync(Actor, AdviceAction, item.Room, item.MessageId, flag.AuthorId,
                $"{advice.Recommendation}{(advice.Rule is { } rule ? $" ({rule})" : "")}: {advice.Rationale}", advice.Model, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 4051, Level = LogLevel.Warning, Message = "Appeal worker failed a batch; its entries will be redelivered")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
