using System.Text.RegularExpressions;
using Chatroom.Core.Agents;

namespace Chatroom.Analysis.Agents;

/// <summary>
/// What agents do with no model configured: commands run their tools directly, questions get knowledge-base passages,
/// and the reply says plainly that text generation is off instead of pretending.
/// </summary>
public sealed partial class NoModelResponder(AgentToolbox tools)
{
    public const string GenerationOff = "Text generation is not configured on this server (no ConnectionStrings__reasoning-model or analysis-model), so I can't write free-form answers.";

    public async Task<string> AnswerAsync(AgentDefinition agent, string request, ToolContext context, CancellationToken cancellationToken)
    {
        if (Command(request) is { } command && agent.Tools.Contains(command.Tool))
        {
            return await tools.InvokeAsync(agent, command.Tool, command.Arguments, context, cancellationToken);
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

        var commands = Help(agent);
        return commands.Length == 0 ? reply : reply + "\nWhat I can do without it: " + commands;
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

        Add(AgentTools.CreateRoom, "create room <name> [topic]");
        Add(AgentTools.ListRooms, "list rooms");
        Add(AgentTools.WatchTopic, "watch <topic>");
        Add(AgentTools.SummarizeRoom, "summarize [#room]");
        Add(AgentTools.SearchKnowledge, "search <words>");
        return string.Join(", ", help);
    }

    /// <summary>A command in the request, as a tool call.</summary>
    public static (string Tool, Dictionary<string, object?> Arguments)? Command(string request)
    {
        var text = request.Trim();
        if (CreateRoomPattern().Match(text) is { Success: true } create)
        {
            return (AgentTools.CreateRoom, new() { ["name"] = create.Groups["name"].Value, ["topic"] = NullIfEmpty(create.Groups["topic"].Value) });
        }

        if (ListRoomsPattern().IsMatch(text))
        {
            return (AgentTools.ListRooms, new());
        }

        if (WatchPattern().Match(text) is { Success: true } watch)
        {
            return (AgentTools.WatchTopic, new() { ["topic"] = watch.Groups["topic"].Value });
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

    [GeneratedRegex(@"^(?:please\s+)?(?:create|make|open)\s+(?:a\s+)?(?:new\s+)?room\s+#?(?<name>\S+)(?:\s+(?:about|on|for|topic:?)?\s*(?<topic>.+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex CreateRoomPattern();

    [GeneratedRegex(@"^(?:please\s+)?(?:list|show)(?:\s+(?:all|the))?\s+rooms\??$|^rooms\??$", RegexOptions.IgnoreCase)]
    private static partial Regex ListRoomsPattern();

    [GeneratedRegex(@"^(?:please\s+)?(?:watch(?:\s+(?:the\s+)?topic)?|tell\s+me\s+when|let\s+me\s+know\s+when|notify\s+me\s+(?:when|about))\s+[""']?(?<topic>.+?)[""']?(?:\s+comes\s+up.*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex WatchPattern();

    [GeneratedRegex(@"^(?:please\s+)?(?:summari[sz]e|summary(?:\s+of)?|recap)(?:\s+(?:the\s+)?(?:room\s+)?#?(?<room>[a-z0-9-]+))?\??$", RegexOptions.IgnoreCase)]
    private static partial Regex SummarizePattern();

    [GeneratedRegex(@"^(?:please\s+)?(?:search|look\s+up|find)(?:\s+(?:the\s+)?(?:knowledge(?:\s+base)?|kb)\s+for)?\s+(?<query>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex SearchPattern();
}
