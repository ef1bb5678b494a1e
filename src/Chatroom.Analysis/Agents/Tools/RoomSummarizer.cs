using System.Text;
using Chatroom.Analysis.Agents.Routing;
using Chatroom.Core.Messages;

namespace Chatroom.Analysis.Agents.Tools;

/// <summary>
/// A summary by extraction, so it works with no model: who talked, how much, the words that carried the conversation,
/// and the messages that share the most of them.
/// </summary>
public static class RoomSummarizer
{
    private static readonly HashSet<string> StopWords =
    [
        "the", "a", "an", "and", "or", "but", "if", "then", "so", "to", "of", "in", "on", "at", "for", "with", "by", "from", "is", "are",
        "was", "were", "be", "been", "it", "its", "this", "that", "these", "those", "i", "you", "he", "she", "we", "they", "me", "him", "her",
        "us", "them", "my", "your", "our", "their", "do", "does", "did", "have", "has", "had", "not", "no", "yes", "just", "what", "when",
        "where", "who", "how", "why", "can", "could", "would", "should", "will", "about", "there", "here", "as", "up", "out", "all", "any",
        "some", "more", "very", "too", "also", "im", "i'm", "it's", "dont", "don't", "ok", "okay", "like", "get", "got", "one", "know", "think",
    ];

    public static string Summarize(string room, IReadOnlyList<ChatMessage> messages)
    {
        if (messages.Count == 0)
        {
            return $"#{room} has no messages to summarise yet";
        }

        var frequency = new Dictionary<string, int>(StringComparer.Ordinal);
        var words = messages.Select(m => AgentRouter.Words(m.Text).Where(w => w.Length > 2 && !StopWords.Contains(w)).ToArray()).ToList();
        foreach (var word in words.SelectMany(w => w.Distinct()))
        {
            frequency[word] = frequency.GetValueOrDefault(word) + 1;
        }

        var keywords = frequency.Where(kv => kv.Value > 1).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(6).Select(kv => kv.Key).ToList();
        var central = messages.Select((m, i) => (Message: m, Score: words[i].Distinct().Sum(w => frequency.GetValueOrDefault(w) - 1) / Math.Sqrt(words[i].Length + 1)))
            .Where(x => x.Score > 0)
            .OrderByDescending(x => x.Score)
            .Take(3)
            .OrderBy(x => x.Message.Id)
            .ToList();
        var people = messages.GroupBy(m => m.AuthorName).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} ({g.Count()})").ToList();

        var summary = new StringBuilder();
        summary.Append($"#{room}: {messages.Count} messages from {messages[0].SentAt:HH:mm} to {messages[^1].SentAt:HH:mm} UTC by {string.Join(", ", people.Take(6))}");
        summary.Append(people.Count > 6 ? $" and {people.Count - 6} more.\n" : ".\n");
        if (keywords.Count > 0)
        {
            summary.Append($"Mostly about: {string.Join(", ", keywords)}.\n");
        }

        foreach (var (message, _) in central)
        {
            summary.Append($"- {message.AuthorName}: {Excerpt(message.Text, 160)}\n");
        }

        return summary.ToString().TrimEnd();
    }

    public static string Excerpt(string text, int max)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= max ? flat : flat[..(max - 1)].TrimEnd() + "…";
    }
}
