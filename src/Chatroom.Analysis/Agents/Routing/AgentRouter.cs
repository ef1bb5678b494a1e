using System.Text.RegularExpressions;
using Chatroom.Core.Agents;
using Chatroom.Core.Messages;

namespace Chatroom.Analysis.Agents.Routing;

/// <summary>Why an agent was woken.</summary>
public static class AgentTriggerKinds
{
    public const string Mention = "mention";
    public const string Keyword = "keyword";
    public const string Direct = "direct";
    public const string Intent = "intent";
}

/// <summary>An agent chosen to answer a message, and why.</summary>
public sealed record AgentRoute(AgentDefinition Agent, string Trigger);

/// <summary>
/// Decides which agents answer a message: explicit mentions first, then keywords, then (in a room where the author is
/// alone) agents that take direct messages. An agent never answers itself; agents answer agents only when mentioned, and
/// a chain stops after the agent's turn limit.
/// </summary>
public static partial class AgentRouter
{
    public const string AuthorPrefix = "agent:";

    public static IReadOnlyList<AgentRoute> Route(
        ChatMessage message, IReadOnlyList<AgentDefinition> agents, int agentTurnsInARow, int peoplePresent)
    {
        if (message.Kind == MessageKind.System || message.Hidden)
        {
            return [];
        }

        var author = message.Kind == MessageKind.Agent && message.AuthorId.StartsWith(AuthorPrefix, StringComparison.Ordinal)
            ? message.AuthorId[AuthorPrefix.Length..]
            : null;
        var candidates = agents.Where(a => a.Enabled && a.Name != author && a.WorksIn(message.Room)).ToList();

        var mentioned = Mentions(message.Text);
        var byMention = candidates
            .Where(a => a.Triggers.Mention && mentioned.Contains(a.Name))
            .Where(a => author is null || agentTurnsInARow < a.Limits.MaxTurns)
            .Select(a => new AgentRoute(a, AgentTriggerKinds.Mention))
            .ToList();
        if (byMention.Count > 0 || author is not null)
        {
            // Agents answer agents only when named, so two agents cannot keep a conversation going on keywords.
            return byMention;
        }

        var words = Words(message.Text);
        var byKeyword = candidates
            .Where(a => a.Triggers.Keywords.Any(k => ContainsPhrase(words, k)))
            .Select(a => new AgentRoute(a, AgentTriggerKinds.Keyword))
            .ToList();
        if (byKeyword.Count > 0)
        {
            return byKeyword;
        }

        return peoplePresent == 1
            ? candidates.Where(a => a.Triggers.Direct).Select(a => new AgentRoute(a, AgentTriggerKinds.Direct)).ToList()
            : [];
    }

    /// <summary>The names mentioned as <c>@name</c>.</summary>
    public static HashSet<string> Mentions(string text) =>
        MentionPattern().Matches(text).Select(m => m.Groups[1].Value.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

    /// <summary>The text without the mention of <paramref name="agent"/>, trimmed: what was asked.</summary>
    public static string StripMention(string text, string agent) =>
        Regex.Replace(text, $@"(?<![\w@])@{Regex.Escape(agent)}\b[:,]?", string.Empty, RegexOptions.IgnoreCase).Trim();

    private static bool ContainsPhrase(string[] words, string phrase)
    {
        var parts = phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i + parts.Length <= words.Length; i++)
        {
            var match = true;
            for (var j = 0; j < parts.Length && match; j++)
            {
                match = words[i + j] == parts[j];
            }

            if (match)
            {
                return true;
            }
        }

        return false;
    }

    internal static string[] Words(string text) =>
        WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToArray();

    [GeneratedRegex(@"(?<![\w@])@([A-Za-z][A-Za-z0-9-]{1,31})\b")]
    private static partial Regex MentionPattern();

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}'-]*")]
    private static partial Regex WordPattern();
}
