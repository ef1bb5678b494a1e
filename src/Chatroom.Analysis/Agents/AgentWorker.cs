using Chatroom.Analysis.Agents.Discussions;
using Chatroom.Analysis.Agents.Routing;
using Chatroom.Core.Messages;
using Chatroom.Core.Presence;
using Chatroom.Core.Queues;

namespace Chatroom.Analysis.Agents;

/// <summary>
/// Consumes the <c>agents</c> queue (separate from moderation, so slow generation never delays verdicts): checks topic
/// watches, routes each message to the agents it wakes, and runs them. Replies carry a run id derived from the message,
/// so a redelivered entry cannot produce a second reply.
/// </summary>
internal sealed partial class AgentWorker(
    IWorkQueue queue,
    IMessageLog log,
    IPresenceStore presence,
    AgentCatalog catalog,
    AgentRunner runner,
    TopicWatcher watcher,
    DiscussionManager discussions,
    IntentRouter intents,
    ILogger<AgentWorker> logger) : BackgroundService
{
    private const int MaxConcurrentEntries = 4;
    private readonly string _consumer = $"agents-{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
    private readonly SemaphoreSlim _slots = new(MaxConcurrentEntries, MaxConcurrentEntries);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var entries = await queue.ReadAsync(QueueNames.Agents, _consumer, MaxConcurrentEntries, TimeSpan.FromSeconds(1), stoppingToken);
                foreach (var entry in entries)
                {
                    await _slots.WaitAsync(stoppingToken);
                    running.Add(Task.Run(() => HandleAsync(entry, stoppingToken), stoppingToken));
                }

                running.RemoveAll(t => t.IsCompleted);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogReadFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }

        await Task.WhenAll(running).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>Handles one stored message: topic watches, then every agent it wakes.</summary>
    internal async Task ProcessAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        await watcher.CheckAsync(message, cancellationToken);
        var agents = catalog.Agents;
        if (agents.Count == 0 || await discussions.TryCommandAsync(message, cancellationToken) ||
            (message.Kind == MessageKind.Agent && await discussions.IsActiveAsync(message.Room, cancellationToken)))
        {
            // Commands are not questions, and during a discussion the manager alone gives agents the floor.
            return;
        }

        // Read only what routing will look at: the chain of agent turns matters for an agent's message, who is present
        // only when an agent here takes direct messages. Most messages need neither (two reads each, at chat volume).
        var agentTurns = 0;
        if (message.Kind == MessageKind.Agent)
        {
            var recent = await log.ReadAsync(message.Room, new MessageQuery(message.Id + 1, null, 21), cancellationToken);
            agentTurns = recent.Reverse().TakeWhile(m => m.Kind == MessageKind.Agent).Count();
        }

        var people = agents.Any(a => a.Enabled && a.Triggers.Direct && a.WorksIn(message.Room))
            ? (await presence.ListAsync(message.Room, cancellationToken)).Count
            : 0;
        var routes = AgentRouter.Route(message, agents, agentTurns, people);
        if (routes.Count == 0 && message.Kind == MessageKind.User && await intents.RouteAsync(message, agents, cancellationToken) is { } byIntent)
        {
            routes = [byIntent];
        }

        await Task.WhenAll(routes.Select(route => runner.RunAsync(route, message, cancellationToken)));
    }

    private async Task HandleAsync(QueueEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            if (await log.GetAsync(entry.Item.Room, entry.Item.MessageId, cancellationToken) is { } message)
            {
                await ProcessAsync(message, cancellationToken);
            }

            await queue.AckAsync(QueueNames.Agents, entry.Id, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not acknowledged: the entry is delivered again after the claim timeout (and dead-lettered after too many tries).
            LogEntryFailed(logger, e, entry.Item.Room, entry.Item.MessageId);
        }
        finally
        {
            _slots.Release();
        }
    }

    public override void Dispose()
    {
        _slots.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "Reading the agents queue failed; retrying")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "Agents failed on message {Room}/{Id}; it will be delivered again")]
    private static partial void LogEntryFailed(ILogger logger, Exception exception, string room, long id);
}
