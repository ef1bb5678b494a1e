using Chatroom.Analysis.Agents.Tools;
using Chatroom.Core.Agents;

namespace Chatroom.Analysis.Agents.Routing;

/// <summary>
/// Reads a request to an agent as a tool call without a model. A request in one of the usual command forms is parsed
/// directly (<see cref="NoModelResponder.Command"/>); anything else is matched by meaning — its sentence embedding
/// against example requests for each tool, help, and ordinary chat — and its arguments are cut out of the sentence by
/// <see cref="CommandText"/>. Room names always become slugs, so "a room called Book Club!" creates #book-club.
/// </summary>
public sealed partial class CommandReader(SemanticMatcher matcher, ILogger<CommandReader> logger)
{
    /// <summary>The intent of a request for the list of what the agent can do.</summary>
    public const string Help = "help";

    /// <summary>
    /// Least similarity to an example for a request to count as that intent (all-MiniLM-L6-v2): below it the request
    /// is treated as conversation. Measured on the phrasing set in the tests; see docs/agents.md.
    /// </summary>
    public const double MinSimilarity = 0.65;

    /// <summary>Least similarity when the request also has a word for the action ("create", "summarise", "watch"…).</summary>
    public const double MinCuedSimilarity = 0.1;

    /// <summary>Ordinary conversation: when one of these is the closest, the request is no command.</summary>
    private const string Chat = "chat";

    private static readonly (string Intent, string Example)[] Examples =
    [
        (AgentTools.CreateRoom, "create a room called book club"),
        (AgentTools.CreateRoom, "make a new channel for hiking"),
        (AgentTools.CreateRoom, "could you set up a chat room for us"),
        (AgentTools.CreateRoom, "we need a new room about board games"),
        (AgentTools.CreateRoom, "open a channel named music"),
        (AgentTools.ListRooms, "list the rooms"),
        (AgentTools.ListRooms, "what rooms are there?"),
        (AgentTools.ListRooms, "which channels exist?"),
        (AgentTools.ListRooms, "show me all the chat rooms"),
        (AgentTools.ListRooms, "where can I chat, what rooms do you have?"),
        (AgentTools.WatchTopic, "watch for pizza in other rooms"),
        (AgentTools.WatchTopic, "let me know when someone mentions the release"),
        (AgentTools.WatchTopic, "tell me whenever anyone talks about football"),
        (AgentTools.WatchTopic, "keep an eye out for mentions of the outage"),
        (AgentTools.WatchTopic, "notify me if vacation comes up elsewhere"),
        (AgentTools.SummarizeRoom, "summarize this room"),
        (AgentTools.SummarizeRoom, "give me a recap of the conversation"),
        (AgentTools.SummarizeRoom, "what did I miss here?"),
        (AgentTools.SummarizeRoom, "what happened in the food room today?"),
        (AgentTools.SummarizeRoom, "catch me up on the discussion"),
        (AgentTools.SearchKnowledge, "search the knowledge base for parking"),
        (AgentTools.SearchKnowledge, "look up the vacation policy in the docs"),
        (AgentTools.SearchKnowledge, "find the documentation about passwords"),
        (AgentTools.SearchKnowledge, "what does the handbook say about expenses?"),
        (Help, "help"),
        (Help, "what can you do?"),
        (Help, "how do I use you, which commands do you understand?"),
        (Help, "what are you for?"),
        (Chat, "hello, how are you?"),
        (Chat, "thanks a lot, you are great"),
        (Chat, "good morning everyone"),
        (Chat, "tell me a joke"),
        (Chat, "what's the weather like today?"),
        (Chat, "we saw a great movie last night"),
        (Chat, "lol that is so funny"),
        (Chat, "how tall is mount everest?"),
        (Chat, "who are you?"),
        (Chat, "it's so boring in here today"),
        (Chat, "are you a fan of football?"),
    ];

    private static readonly IReadOnlyList<string> Labels = [.. Examples.Select(e => e.Example)];

    /// <summary>
    /// The request as a command among <paramref name="tools"/> (or <see cref="Help"/>); null when it is conversation or
    /// no command fits. A create request whose room name cannot be found comes back with an empty name, so the caller
    /// asks for one instead of guessing.
    /// </summary>
    public async Task<ReadCommand?> ReadAsync(string request, IReadOnlyCollection<string> tools, CancellationToken cancellationToken)
    {
        var text = CommandText.WithoutGreeting(request);
        if (text.Length == 0)
        {
            return new ReadCommand(Help, []);
        }

        if (NoModelResponder.Command(text) is { } parsed && tools.Contains(parsed.Tool))
        {
            return Forgive(parsed.Tool, parsed.Arguments, text);
        }

        var scores = await matcher.ScoreAsync(text, Labels, cancellationToken);
        var words = CommandText.Words(text);
        if (scores is null)
        {
            // No embeddings (the model failed to load): the action words alone, when they name exactly one intent.
            var named = Examples.Select(e => e.Intent).Distinct().Where(i => i != Chat && (i == Help || tools.Contains(i)) && CommandCues.Has(i, text, words)).ToList();
            return named.Count == 1 ? Arguments(named[0], text) : null;
        }

        // Sentence embeddings weigh the nouns of a request more than its verb ("create a room" is closest to "list the
        // rooms"), so the words that carry the action decide among the intents they point at, misspelt or not, and
        // meaning decides among those. Without such words, meaning alone decides, against ordinary chat too.
        var available = Enumerable.Range(0, Examples.Length)
            .Where(i => Examples[i].Intent is Chat or Help || tools.Contains(Examples[i].Intent))
            .ToList();
        var cued = available.Where(i => Examples[i].Intent != Chat && CommandCues.Has(Examples[i].Intent, text, words)).ToList();
        var best = cued.Count > 0 ? cued.MaxBy(i => scores[i]) : available.MaxBy(i => scores[i]);
        var (intent, example) = Examples[best];
        LogRead(logger, intent, example, scores[best], cued.Count > 0);
        if (intent == Chat || scores[best] < (cued.Count > 0 ? MinCuedSimilarity : MinSimilarity))
        {
            return null;
        }

        return Arguments(intent, text);
    }

    /// <summary>The arguments of <paramref name="intent"/> found in the request.</summary>
    private static ReadCommand Arguments(string intent, string text) =>
        intent switch
        {
            AgentTools.CreateRoom => Forgive(intent, new() { ["name"] = null, ["topic"] = null }, text),
            AgentTools.ListRooms => new ReadCommand(intent, []),
            AgentTools.WatchTopic => CommandText.WatchedTopic(text) is { } topic ? new ReadCommand(intent, new() { ["topic"] = topic }) : new ReadCommand(intent, new() { ["topic"] = "" }),
            AgentTools.SummarizeRoom => new ReadCommand(intent, new() { ["room"] = CommandText.SummarizedRoom(text) }),
            AgentTools.SearchKnowledge => new ReadCommand(intent, new() { ["query"] = CommandText.SearchQuery(text) }),
            _ => new ReadCommand(Help, []),
        };

    /// <summary>A parsed command with its room names as slugs and its topic cleaned.</summary>
    private static ReadCommand Forgive(string tool, Dictionary<string, object?> arguments, string request)
    {
        if (tool == AgentTools.CreateRoom)
        {
            // The forgiving reading of the name wins over the command form's, which takes everything up to "about"
            // ("a channel for the running group" is #running-group, not #for-the-running-group).
            var name = CommandText.RoomName(request) ?? arguments.GetValueOrDefault("name") as string;
            var topic = arguments.GetValueOrDefault("topic") as string ?? CommandText.RoomTopic(request);
            arguments["name"] = CommandText.Slug(name);
            arguments["topic"] = topic is null ? null : CommandText.Clean(topic) is { Length: > 0 } cleaned ? cleaned : null;
        }
        else if (tool == AgentTools.WatchTopic && arguments.GetValueOrDefault("topic") is string watched)
        {
            arguments["topic"] = CommandText.Topic(CommandText.Clean(watched));
        }
        else if (tool == AgentTools.SummarizeRoom && arguments.GetValueOrDefault("room") is string room)
        {
            arguments["room"] = CommandText.Slug(room) is { Length: > 0 } slug ? slug : null;
        }

        return new ReadCommand(tool, arguments);
    }

    [LoggerMessage(EventId = 5403, Level = LogLevel.Debug, Message = "Command by meaning: {Intent} (closest example \"{Example}\", similarity {Similarity}, action words {Cued})")]
    private static partial void LogRead(ILogger logger, string intent, string example, double similarity, bool cued);
}
