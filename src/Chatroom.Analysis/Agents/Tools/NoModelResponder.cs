using System.Text.RegularExpressions;
using Chatroom.Analysis.Agents.Routing;
using Chatroom.Core.Agents;

namespace Chatroom.Analysis.Agents.Tools;

/// <summary>
/// What agents do with no model configured: commands — in the usual forms or read by meaning (<see cref="CommandReader"/>)
/// — run their tools directly and are confirmed in plain words, questions get knowledge-base passages, and the reply says
/// plainly that text generation is off instead of pretending. Ordinary users never see configuration keys: admins find
/// how to configure a model on the admin pages.
/// </summary>
public sealed partial class NoModelResponder(ToolGate tools, CommandReader reader)
{
    /// <summary>In plain words for chat users; the configuration it takes is on the admin Agents page.</summary>
    public const string GenerationOff = "Text generation is not configured on this server, so I can't write free-form answers.";

    public async Task<string> AnswerAsync(AgentDefinition agent, string request, ToolContext context, CancellationToken cancellationToken)
    {
        var command = await reader.ReadAsync(request, agent.Tools, cancellationToken);
        if (command?.Intent == CommandReader.Help)
        {
            var commands = Help(agent);
            return commands.Length == 0 ? GenerationOff : "Here is what I can do: " + commands + ".";
        }

        if (command is not null && agent.Tools.Contains(command.Intent))
        {
            if (Missing(command) is { } question)
            {
                return question;
            }

            var result = await tools.InvokeAsync(agent, command.Intent, command.Arguments, context, cancellationToken);
            return Confirm(command, result);
        }

        var reply = GenerationOff;
        if (agent.Tools.Contains(AgentTools.SearchKnowledge) && request.Length > 0)
        {
            var found = await tools.InvokeAsync(agent, AgentTools.SearchKnowledge, new Dictionary<string, object?> { ["query"] = request, ["k"] = 2 }, context, cancellationToken);
            if (!found.StartsWith("error:", StringComparison.Ordinal) && !found.StartsWith("the knowledge base has nothing", StringComparison.Ordinal))
            {
                reply += "\nThe knowledge base has this on it:\n" + found;
            }
        }

        var help = Help(agent);
        return help.Length == 0 ? reply : reply + "\nWhat I can do without it: " + help;
    }

    /// <summary>The question to ask when a command lacks what it needs, instead of guessing it.</summary>
    private static string? Missing(ReadCommand command) => command.Intent switch
    {
        AgentTools.CreateRoom when command.Arguments.GetValueOrDefault("name") is not string { Length: > 0 } =>
            "What should the room be called? For example: \"create a room called book club about novels\".",
        AgentTools.WatchTopic when command.Arguments.GetValueOrDefault("topic") is not string { Length: > 0 } =>
            "Which topic should I watch for? For example: \"watch pizza in other rooms\".",
        _ => null,
    };

    /// <summary>A tool's result as a reply to a person: what was done, or why not, in plain words.</summary>
    public static string Confirm(ReadCommand command, string result)
    {
        if (result.StartsWith("error:", StringComparison.Ordinal))
        {
            // "error: room_exists: there is already a room 'x'" -> the sentence without the code.
            var reason = ErrorCodePattern().Replace(result["error:".Length..].Trim(), "").TrimEnd('.');
            return command.Intent == AgentTools.CreateRoom
                ? $"I couldn't create #{command.Arguments.GetValueOrDefault("name")}: {reason}."
                : $"I couldn't do that: {reason}.";
        }

        return command.Intent switch
        {
            AgentTools.CreateRoom => command.Arguments.GetValueOrDefault("topic") is string { Length: > 0 } topic
                ? $"Created #{command.Arguments["name"]} about {topic} — join it from the room list."
                : $"Created #{command.Arguments["name"]} — join it from the room list.",
            AgentTools.ListRooms => result == "there are no rooms" ? "There are no rooms yet." : "The rooms:\n" + result,
            _ => result,
        };
    }

    /// <summary>The commands this agent understands without a model, for its help text.</summary>
    public static string Help(AgentDefinition agent)
    {
        var help = new List<string>();
        void Add(string tool, string usage)
        {
            if (agent.Tools.Contains(tool))
            {
                help.Add($"\"@{agent.Name} {usage}\"");
            }
        }

        Add(AgentTools.CreateRoom, "create a room called <name> [about <topic>]");
        Add(AgentTools.ListRooms, "list rooms");
        Add(AgentTools.WatchTopic, "watch <topic> in other rooms");
        Add(AgentTools.SummarizeRoom, "summarize [#room]");
        Add(AgentTools.SearchKnowledge, "search <words>");
        return string.Join(", ", help);
    }

    /// <summary>A command in the request, as a tool call.</summary>
    public static (string Tool, Dictionary<string, object?> Arguments)? Command(string request)
    {
        var text = request.Trim();
        if (CreateRoomPattern().Match(text) is { Success: true } create &&
            (create.Groups["room"].Success || create.Groups["name"].Value.StartsWith('#')))
        {
            return (AgentTools.CreateRoom, new() { ["name"] = Unquote(create.Groups["name"].Value), ["topic"] = NullIfEmpty(Unquote(create.Groups["topic"].Value)) });
        }

        if (ListRoomsPattern().IsMatch(text))
        {
            return (AgentTools.ListRooms, new());
        }

        if (WatchPattern().Match(text) is { Success: true } watch)
        {
            return (AgentTools.WatchTopic, new() { ["topic"] = Unquote(watch.Groups["topic"].Value) });
        }

        if (SummarizePattern().Match(text) is { Success: true } summarize)
        {
            return (AgentTools.SummarizeRoom, new() { ["room"] = NullIfEmpty(summarize.Groups["room"].Value) });
        }

        if (SearchPattern().Match(text) is { Success: true } search)
        {
            return (AgentTools.SearchKnowledge, new() { ["query"] = search.Groups["query"].Value });
        }

        return null;
    }

    private static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The text without surrounding quotes and a leading '#'; nothing else changes, so an invalid name is refused with the rule, not mangled.</summary>
    private static string Unquote(string value)
    {
        value = value.Trim().TrimEnd('.', '!', '?');
        if (value.Length >= 2 && "\"'“‘«".Contains(value[0]) && "\"'”’»".Contains(value[^1]))
        {
            value = value[1..^1].Trim();
        }

        return value.StartsWith('#') ? value[1..] : value;
    }

    // "create a room called X", "make a room named X", "open #X", "new room 'X' about Y", "could you set up a channel called X for Y"
    [GeneratedRegex(@"^(?:(?:please|pls|kindly|could\s+you|can\s+you|would\s+you|will\s+you)\s+)*(?:create|make|open|start|set\s+up|add|new)\s+(?:me\s+|us\s+)?(?:(?:a|an|the)\s+)?(?:new\s+)?(?<room>(?:chat\s+)?(?:room|channel)\s*)?(?:(?:called|named|titled|with\s+the\s+name)\s+)?(?<name>""[^""]+""|'[^']+'|“[^”]+”|#?[^\s""'“]+(?:\s+[^\s""'“]+)*?)(?:\s+(?:about|on|for|with\s+(?:the\s+)?topic|topic:?)\s+(?<topic>.+?))?\s*[.!?]?$", RegexOptions.IgnoreCase)]
    private static partial Regex CreateRoomPattern();

    [GeneratedRegex(@"^[a-z_]+:\s*")]
    private static partial Regex ErrorCodePattern();

    [GeneratedRegex(@"^(?:please\s+)?(?:list|show)(?:\s+(?:all|the))?\s+rooms\??$|^rooms\??$", RegexOptions.IgnoreCase)]
    private static partial Regex ListRoomsPattern();

    // "watch pizza", "watch pizza in other rooms", "keep an eye on 'pizza'", "tell me when anyone talks about pizza", "let me know if pizza comes up"
    [GeneratedRegex(@"^(?:(?:please|could\s+you|can\s+you|would\s+you)\s+)*(?:watch(?:\s+(?:the\s+)?topic)?(?:\s+(?:out\s+)?for)?|keep\s+(?:an\s+)?eye\s+on|keep\s+watch\s+(?:on|for)|(?:tell|notify|ping|alert)\s+me\s+(?:when|if|about|of)|let\s+me\s+know\s+(?:when|if|about))(?:\s+(?:someone|anyone|anybody|people|somebody)\s+(?:talks?|mentions?|says?|speaks?|brings?\s+up|discuss(?:es)?)(?:\s+about)?)?\s+(?<topic>.+?)(?:\s+(?:comes?\s+up|is\s+(?:mentioned|discussed)|gets\s+mentioned))?(?:\s+(?:in\s+(?:the\s+|any\s+)?other\s+rooms?|elsewhere|anywhere|in\s+any\s+room|across\s+(?:the\s+)?rooms))?\s*[.!?]?$", RegexOptions.IgnoreCase)]
    private static partial Regex WatchPattern();

    [GeneratedRegex(@"^(?:please\s+)?(?:summari[sz]e|summary(?:\s+of)?|recap)(?:\s+(?:the\s+)?(?:room\s+)?#?(?<room>[a-z0-9-]+))?\??$", RegexOptions.IgnoreCase)]
    private static partial Regex SummarizePattern();

    [GeneratedRegex(@"^(?:please\s+)?(?:search|look\s+up|find)(?:\s+(?:the\s+)?(?:knowledge(?:\s+base)?|kb)\s+for)?\s+(?<query>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex SearchPattern();
}
