using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Chatroom.Core.Messages;

namespace Chatroom.Analysis.Agents;

/// <summary>A managed discussion: who takes part, on what, how many turns are left.</summary>
public sealed record Discussion(string Room, IReadOnlyList<string> Agents, string Topic, int Turns, string StartedBy)
{
    public int TurnsTaken { get; set; }
}

/// <summary>
/// Round-robin discussions between agents in a room: the manager gives each agent the floor in turn until the turn
/// limit, and anyone can stop it (<c>/stop</c> in the room, or the API). Started with
/// <c>/discuss assistant, concierge 6 should we adopt four-day weeks?</c> or <c>POST /api/discussions</c>.
/// </summary>
public sealed partial class DiscussionManager(AgentCatalog catalog, AgentRunner runner, ChatService chat, ILogger<DiscussionManager> logger)
{
    public const string Moderator = "moderator";
    public const int MaxTurns = 40;
    public const int MaxTopicLength = 300;

    private readonly ConcurrentDictionary<string, (Discussion Discussion, CancellationTokenSource Stop, Task Run)> _running = new(StringComparer.Ordinal);

    public Discussion? Get(string room) => _running.TryGetValue(room, out var entry) ? entry.Discussion : null;

    public bool IsActive(string room) => _running.ContainsKey(room);

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
        var discussion = new Discussion(room, agents, topic, turns, startedBy);
        var stop = new CancellationTokenSource();
        if (!_running.TryAdd(room, (discussion, stop, Task.CompletedTask)))
        {
            stop.Dispose();
            throw new ChatException(ErrorCodes.InvalidRequest, "a discussion is already running in this room; /stop it first");
        }

        var opening = await SayAsync(room, $"Discussion on \"{topic}\" between {string.Join(", ", agents.Select(a => "@" + a))}, {turns} turns. Type /stop to end it.",
            $"discuss-{Guid.NewGuid():N}", cancellationToken);
        _running[room] = (discussion, stop, Task.Run(() => RunAsync(discussion, opening, stop.Token), CancellationToken.None));
        return discussion;
    }

    /// <summary>Stops the room's discussion; false when none was running.</summary>
    public async Task<bool> StopAsync(string room, string by, CancellationToken cancellationToken)
    {
        if (!_running.TryRemove(room, out var entry))
        {
            return false;
        }

        await entry.Stop.CancelAsync();
        entry.Stop.Dispose();
        await SayAsync(room, $"{by} ended the discussion after {entry.Discussion.TurnsTaken} of {entry.Discussion.Turns} turns.", $"discuss-stop-{Guid.NewGuid():N}", cancellationToken);
        return true;
    }

    private async Task RunAsync(Discussion discussion, ChatMessage opening, CancellationToken stop)
    {
        var previous = opening;
        try
        {
            for (var turn = 0; turn < discussion.Turns && !stop.IsCancellationRequested; turn++)
            {
                var name = discussion.Agents[turn % discussion.Agents.Count];
                if (catalog.Find(name) is not { } agent)
                {
                    break;
                }

                var others = string.Join(", ", discussion.Agents.Where(a => a != name).Select(a => "@" + a));
                var instruction = $"You are taking part in a moderated discussion on \"{discussion.Topic}\" with {others}. It is your turn " +
                                  $"({turn + 1} of {discussion.Turns}). Reply to what was said last in two to four sentences; add something new. Do not @-mention anyone.";
                var reply = await runner.RunAsync(new AgentRoute(agent, "discussion"), previous, stop, instruction);
                discussion.TurnsTaken = turn + 1;
                previous = reply ?? previous;
            }

            if (!stop.IsCancellationRequested && _running.TryRemove(discussion.Room, out var entry))
            {
                entry.Stop.Dispose();
                await SayAsync(discussion.Room, $"The discussion on \"{discussion.Topic}\" is over ({discussion.TurnsTaken} turns).", $"discuss-end-{Guid.NewGuid():N}", CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped by someone; StopAsync announced it.
        }
        catch (Exception e)
        {
            LogDiscussionFailed(logger, e, discussion.Room);
            _running.TryRemove(discussion.Room, out _);
        }
    }

    private async Task<ChatMessage> SayAsync(string room, string text, string clientId, CancellationToken cancellationToken) =>
        (await chat.PostAsync(new NewMessage(room, AgentRouter.AuthorPrefix + Moderator, Moderator, MessageKind.Agent, text, clientId), cancellationToken)).Message;

    [GeneratedRegex(@"^/discuss\s+(?<agents>@?[a-z][a-z0-9-]*(?:\s*,\s*@?[a-z][a-z0-9-]*)+)\s+(?<turns>\d{1,3})\s+(?<topic>.+)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex DiscussPattern();

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "The discussion in {Room} failed and was ended")]
    private static partial void LogDiscussionFailed(ILogger logger, Exception exception, string room);
}
