using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Chatroom.Core.Agents;
using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Chatroom.Core.Messages;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Extensions.AI;
using AiMessage = Microsoft.Extensions.AI.ChatMessage;
using ChatMessage = Chatroom.Core.Messages.ChatMessage;
using Chatroom.Analysis.Agents.Routing;

namespace Chatroom.Analysis.Agents.Discussions;

/// <summary>A managed discussion as the API shows it: who takes part, on what, how many turns, how many taken.</summary>
public sealed record Discussion(string Room, IReadOnlyList<string> Agents, string Topic, int Turns, string StartedBy)
{
    public int TurnsTaken { get; init; }

    public static Discussion From(DiscussionState state) =>
        new(state.Room, state.Agents, state.Topic, state.Turns, state.StartedBy) { TurnsTaken = state.TurnsTaken };
}

/// <summary>
/// Round-robin discussions between agents in a room, run on Agent Framework's group chat (<see cref="RoundRobinGroupChatManager"/>
/// with the turn limit): each agent gets the floor in turn until the turn limit, and anyone can stop it (<c>/stop</c> in the room, or the API). Started with <c>/discuss assistant, concierge 6 should we adopt
/// four-day weeks?</c> or <c>POST /api/discussions</c>. The state lives in <see cref="IDiscussionStore"/>, so any
/// analysis node can stop a discussion, and one whose node stopped is continued by another (or by the same process
/// after a restart): the node running it holds a short lease it renews every second; a lapsed lease is claimed by
/// whichever node scans first. A node shutting down releases its leases so the next one continues at once.
/// </summary>
public sealed partial class DiscussionManager(
    AgentCatalog catalog,
    AgentRunner runner,
    ChatService chat,
    IDiscussionStore store,
    IMessageLog log,
    TimeProvider time,
    ILogger<DiscussionManager> logger) : BackgroundService
{
    public const string Moderator = "moderator";
    public const int MaxTurns = 40;
    public const int MaxTopicLength = 300;

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Renewal = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ScanInterval = TimeSpan.FromSeconds(2);

    private readonly string _node = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
    private readonly ConcurrentDictionary<string, Run> _local = new(StringComparer.Ordinal);

    public async Task<Discussion?> GetAsync(string room, CancellationToken cancellationToken) =>
        await store.GetAsync(room, cancellationToken) is { } state ? Discussion.From(state) : null;

    public async Task<bool> IsActiveAsync(string room, CancellationToken cancellationToken) =>
        _local.ContainsKey(room) || await store.GetAsync(room, cancellationToken) is not null;

    /// <summary>Handles <c>/discuss</c> and <c>/stop</c> typed in a room; true when the message was such a command.</summary>
    public async Task<bool> TryCommandAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        if (message.Kind != MessageKind.User)
        {
            return false;
        }

        var text = message.Text.Trim();
        if (text.Equals("/stop", StringComparison.OrdinalIgnoreCase))
        {
            await StopAsync(message.Room, message.AuthorName, cancellationToken);
            return true;
        }

        if (DiscussPattern().Match(text) is not { Success: true } match)
        {
            return false;
        }

        var agents = match.Groups["agents"].Value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).Select(a => a.TrimStart('@').ToLowerInvariant()).ToList();
        try
        {
            await StartAsync(message.Room, agents, match.Groups["topic"].Value.Trim(), int.Parse(match.Groups["turns"].Value, System.Globalization.CultureInfo.InvariantCulture),
                message.AuthorName, cancellationToken);
        }
        catch (ChatException refusal)
        {
            await SayAsync(message.Room, $"I can't start that discussion: {refusal.Message}.", $"discuss-refused-{message.Id}", cancellationToken);
        }

        return true;
    }

    /// <summary>Starts a discussion and returns at once; the turns run in the background.</summary>
    public async Task<Discussion> StartAsync(string room, IReadOnlyList<string> agents, string topic, int turns, string startedBy, CancellationToken cancellationToken)
    {
        if (agents.Count < 2 || agents.Distinct().Count() != agents.Count)
        {
            throw new ChatException(ErrorCodes.InvalidRequest, "name at least two different agents");
        }

        if (agents.FirstOrDefault(a => catalog.Find(a) is not { Enabled: true }) is { } unknown)
        {
            throw new ChatException(ErrorCodes.InvalidRequest, $"there is no enabled agent '{unknown}'");
        }

        if (turns is < 1 or > MaxTurns || topic.Length is 0 or > MaxTopicLength)
        {
            throw new ChatException(ErrorCodes.InvalidRequest, $"a discussion has 1-{MaxTurns} turns and a topic of 1-{MaxTopicLength} characters");
        }

        await chat.GetRoomAsync(room, cancellationToken);
        var now = time.GetUtcNow();
        var state = new DiscussionState(room, agents, topic, turns, startedBy, now);
        if (!await store.TryStartAsync(state, cancellationToken))
        {
            throw new ChatException(ErrorCodes.InvalidRequest, "a discussion is already running in this room; /stop it first");
        }

        var claimed = await store.TryClaimAsync(room, _node, now, now + Lease, cancellationToken) ?? state;
        var opening = await SayAsync(room, $"Discussion on \"{topic}\" between {string.Join(", ", agents.Select(a => "@" + a))}, {turns} turns. Type /stop to end it.",
            $"discuss-{room}-{now.ToUnixTimeMilliseconds()}", cancellationToken);
        if (await store.UpdateAsync(room, _node, 0, opening.Id, time.GetUtcNow() + Lease, cancellationToken))
        {
            Begin(claimed with { LastMessageId = opening.Id, Owner = _node });
        }

        return Discussion.From(state);
    }

    /// <summary>Stops the room's discussion, wherever it runs; false when none was running.</summary>
    public async Task<bool> StopAsync(string room, string by, CancellationToken cancellationToken)
    {
        if (await store.RemoveAsync(room, cancellationToken) is not { } removed)
        {
            return false;
        }

        // Here at once; on another node its lease renewal (every second) finds the discussion gone and stops it.
        if (_local.TryRemove(room, out var run))
        {
            await run.Stop.CancelAsync();
        }

        await SayAsync(room, $"{by} ended the discussion after {removed.TurnsTaken} of {removed.Turns} turns.", $"discuss-stop-{Guid.NewGuid():N}", cancellationToken);
        return true;
    }

    /// <summary>Continues discussions whose node stopped: claims lapsed leases every few seconds.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ScanInterval, time);
        try
        {
            do
            {
                try
                {
                    foreach (var state in await store.ListAsync(stoppingToken))
                    {
                        var now = time.GetUtcNow();
                        // One whose opening is not recorded yet is still being started (by this node or another),
                        // unless that has taken longer than a lease: then its starter died before announcing it.
                        if (!_local.ContainsKey(state.Room) && (state.Owner is null || state.LeaseUntil <= now) &&
                            (state.LastMessageId > 0 || state.StartedAt + Lease <= now) &&
                            await store.TryClaimAsync(state.Room, _node, now, now + Lease, stoppingToken) is { } claimed)
                        {
                            LogContinued(logger, state.Room, claimed.TurnsTaken, claimed.Turns);
                            Begin(claimed);
                        }
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogScanFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var (room, run) in _local.ToArray())
        {
            await run.Stop.CancelAsync();
            try
            {
                // Release the lease: the next node (or this one, restarted) continues without waiting for it to lapse.
                await store.UpdateAsync(room, _node, run.TurnsTaken, run.LastMessageId, time.GetUtcNow(), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogReleaseFailed(logger, e, room);
            }
        }
    }

    private void Begin(DiscussionState state)
    {
        var run = new Run(state);
        if (_local.TryAdd(state.Room, run))
        {
            _ = Task.Run(() => RunAsync(run), CancellationToken.None);
        }
    }

    private async Task RunAsync(Run run)
    {
        var state = run.State;
        var stop = run.Stop.Token;
        var renewal = Task.Run(() => RenewAsync(run), CancellationToken.None);
        try
        {
            if (run.TurnsTaken < state.Turns && await PreviousAsync(run, stop) is { } previous)
            {
                await GroupChatAsync(run, previous, stop);
            }

            if (!stop.IsCancellationRequested && await store.RemoveAsync(state.Room, CancellationToken.None) is not null)
            {
                await SayAsync(state.Room, $"The discussion on \"{state.Topic}\" is over ({run.TurnsTaken} turns).",
                    $"discuss-end-{state.Room}-{state.StartedAt.ToUnixTimeMilliseconds()}", CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped (here, elsewhere, or by shutdown); whoever stopped it announced it.
        }
        catch (Exception e)
        {
            LogDiscussionFailed(logger, e, state.Room);
            await store.RemoveAsync(state.Room, CancellationToken.None);
        }
        finally
        {
            if (_local.TryGetValue(state.Room, out var current) && current == run)
            {
                _local.TryRemove(state.Room, out _);
            }

            await run.Stop.CancelAsync();
            await renewal;
        }
    }

    /// <summary>
    /// Runs the remaining turns on Agent Framework's group chat: a <see cref="RoundRobinGroupChatManager"/> over the
    /// participants, rotated so the agent whose turn is next speaks first, limited to the turns left. Nothing but the
    /// store and the room log carries over between nodes, so a node continuing a discussion builds the same workflow from
    /// the stored turn count; each turn records its progress in the store before the next one starts.
    /// </summary>
    private async Task GroupChatAsync(Run run, ChatMessage previous, CancellationToken stop)
    {
        var state = run.State;
        var agents = state.Agents.Select(catalog.Find).ToList();
        if (agents.Contains(null))
        {
            return;
        }

        var participants = agents.Select(agent => new DiscussionParticipant(agent!.Name, agent.Description, token => TakeTurnAsync(run, agent, token))).ToList();
        var next = run.TurnsTaken % participants.Count;
        var workflow = AgentWorkflowBuilder
            .CreateGroupChatBuilderWith(members => new RoundRobinGroupChatManager(members) { MaximumIterationCount = state.Turns - run.TurnsTaken })
            .AddParticipants([.. participants[next..], .. participants[..next]])
            .WithName("discussion")
            .Build();
        var opening = new AiMessage(ChatRole.User, $"{previous.AuthorName}: {previous.Text}") { AuthorName = previous.AuthorName };
        await using var execution = await InProcessExecution.RunStreamingAsync(workflow, new List<AiMessage> { opening }, cancellationToken: stop);
        await execution.TrySendMessageAsync(new TurnToken(emitEvents: false));
        await foreach (var update in execution.WatchStreamAsync(stop))
        {
            switch (update)
            {
                case WorkflowOutputEvent output when output.Is<List<AiMessage>>():
                    return;
                case ExecutorFailedEvent or WorkflowErrorEvent when stop.IsCancellationRequested:
                    // A turn cut off by a stop or a shutdown, not a failure: the discussion stays in the store for the next node.
                    stop.ThrowIfCancellationRequested();
                    break;
                case ExecutorFailedEvent failed:
                    throw new InvalidOperationException($"The discussion turn of {failed.ExecutorId} failed.", failed.Data as Exception);
                case WorkflowErrorEvent error:
                    throw new InvalidOperationException("The discussion's group chat failed.", error.Exception);
            }
        }
    }

    /// <summary>One agent's turn: its reply to the discussion's last message, and the progress recorded in the store.</summary>
    private async Task<ChatMessage?> TakeTurnAsync(Run run, AgentDefinition agent, CancellationToken cancellationToken)
    {
        var state = run.State;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, run.Stop.Token);
        if (await PreviousAsync(run, linked.Token) is not { } previous)
        {
            throw new InvalidOperationException($"The discussion's last message {run.LastMessageId} is gone.");
        }

        var others = string.Join(", ", state.Agents.Where(a => a != agent.Name).Select(a => "@" + a));
        var instruction = $"You are taking part in a moderated discussion on \"{state.Topic}\" with {others}. It is your turn " +
                          $"({run.TurnsTaken + 1} of {state.Turns}). Reply to what was said last in two to four sentences; add something new. Do not @-mention anyone.";
        // The turns answer one another up to the discussion's own turn limit: each is one hop beyond the message that opened
        // the discussion (as the turn before it is), not one beyond that turn, so the loop guard does not cut short a
        // discussion someone asked for.
        var hop = run.TurnsTaken > 0 && previous.Kind == MessageKind.Agent ? previous.Hop : previous.Hop + 1;
        var reply = await runner.RunAsync(new AgentRoute(agent, "discussion"), previous, linked.Token, instruction, hop);
        run.Advance(reply?.Id ?? run.LastMessageId);
        if (!await store.UpdateAsync(state.Room, _node, run.TurnsTaken, run.LastMessageId, time.GetUtcNow() + Lease, linked.Token))
        {
            // Stopped elsewhere, or another node took it over.
            await run.Stop.CancelAsync();
            linked.Token.ThrowIfCancellationRequested();
        }

        return reply;
    }

    /// <summary>The message the next turn answers: the last turn's reply, or the opening.</summary>
    private async Task<ChatMessage?> PreviousAsync(Run run, CancellationToken cancellationToken) =>
        (await log.ReadAsync(run.State.Room, new MessageQuery(run.LastMessageId + 1, null, 1), cancellationToken)).LastOrDefault();

    private async Task RenewAsync(Run run)
    {
        using var timer = new PeriodicTimer(Renewal, time);
        try
        {
            while (await timer.WaitForNextTickAsync(run.Stop.Token))
            {
                if (!await store.UpdateAsync(run.State.Room, _node, run.TurnsTaken, run.LastMessageId, time.GetUtcNow() + Lease, run.Stop.Token))
                {
                    await run.Stop.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            LogReleaseFailed(logger, e, run.State.Room);
        }
    }

    private async Task<ChatMessage> SayAsync(string room, string text, string clientId, CancellationToken cancellationToken) =>
        (await chat.PostAsync(new NewMessage(room, AgentRouter.AuthorPrefix + Moderator, Moderator, MessageKind.Agent, text, clientId), cancellationToken)).Message;

    /// <summary>A discussion this node runs: its progress (read by the lease renewal) and its stop switch.</summary>
    private sealed class Run(DiscussionState state)
    {
        private long _lastMessageId = state.LastMessageId;
        private int _turnsTaken = state.TurnsTaken;

        public DiscussionState State { get; } = state;

        public CancellationTokenSource Stop { get; } = new();

        public int TurnsTaken => Volatile.Read(ref _turnsTaken);

        public long LastMessageId => Interlocked.Read(ref _lastMessageId);

        public void Advance(long lastMessageId)
        {
            Interlocked.Exchange(ref _lastMessageId, lastMessageId);
            Interlocked.Increment(ref _turnsTaken);
        }
    }

    [GeneratedRegex(@"^/discuss\s+(?<agents>@?[a-z][a-z0-9-]*(?:\s*,\s*@?[a-z][a-z0-9-]*)+)\s+(?<turns>\d{1,3})\s+(?<topic>.+)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex DiscussPattern();

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "The discussion in {Room} failed and was ended")]
    private static partial void LogDiscussionFailed(ILogger logger, Exception exception, string room);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Information, Message = "Continuing the discussion in {Room} at turn {Taken} of {Turns} (its node stopped)")]
    private static partial void LogContinued(ILogger logger, string room, int taken, int turns);

    [LoggerMessage(EventId = 5303, Level = LogLevel.Warning, Message = "Scanning for discussions to continue failed")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5304, Level = LogLevel.Warning, Message = "Renewing or releasing the discussion lease in {Room} failed")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string room);
}
