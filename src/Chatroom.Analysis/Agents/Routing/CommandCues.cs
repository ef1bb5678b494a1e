using Chatroom.Core.Agents;

namespace Chatroom.Analysis.Agents.Routing;

/// <summary>
/// The words that name each action of the concierge. A request that has one of them (a word one typo away counts, for
/// words of five letters or more) is read as one of those actions; which one is then decided by meaning.
/// </summary>
internal static class CommandCues
{
    private static readonly HashSet<string> RoomWords = new(StringComparer.Ordinal) { "room", "rooms", "channel", "channels", "chatroom", "chatrooms" };

    private static readonly Dictionary<string, (string[] Words, string[] Phrases)> ByIntent = new(StringComparer.Ordinal)
    {
        [AgentTools.CreateRoom] = (["create", "make", "open", "start", "add", "new", "setup", "need", "want", "love", "like", "get", "build"], ["set up"]),
        [AgentTools.ListRooms] = (["list", "show", "which", "what", "any", "other", "exist", "exists", "available"], ["where else", "where can i"]),
        [AgentTools.WatchTopic] = (["watch", "notify", "alert", "ping", "mentions", "mention", "mentioned", "mentioning", "whenever", "discuss", "discusses", "discussed", "monitor", "track"],
            ["keep an eye", "let me know", "tell me when", "tell me if", "know when", "know if", "comes up", "talks about", "talking about"]),
        [AgentTools.SummarizeRoom] = (["summarize", "summarise", "summary", "recap", "miss", "missed", "tldr", "gist"], ["catch me up", "catch up", "what happened", "sum up"]),
        [AgentTools.SearchKnowledge] = (["search", "knowledge", "kb", "docs", "documentation", "handbook", "wiki", "faq", "policy"], ["look up", "look for", "find"]),
        [CommandReader.Help] = (["help", "commands"], ["what can you do", "how does this work", "how do i use"]),
    };

    /// <summary>True when the request has a word for the intent (for room creation: and a word for a room, or a '#name').</summary>
    public static bool Has(string intent, string text, IReadOnlyList<string> words)
    {
        if (!ByIntent.TryGetValue(intent, out var cues))
        {
            return false;
        }

        var lower = " " + string.Join(' ', words) + " ";
        var found = cues.Phrases.Any(p => lower.Contains(" " + p + " ", StringComparison.Ordinal) || (p == "find" && lower.Contains(" find ", StringComparison.Ordinal)))
                    || words.Any(w => cues.Words.Any(c => Near(w, c)));
        return intent switch
        {
            AgentTools.CreateRoom => found && (text.Contains('#') || words.Any(w => RoomWords.Any(r => Near(w, r)))),
            AgentTools.ListRooms => found && words.Any(w => w is "rooms" or "channels" or "chatrooms" || Near(w, "rooms") || Near(w, "channels")) || lower.Contains(" where else ", StringComparison.Ordinal),
            _ => found,
        };
    }

    /// <summary>Equal, or for words of five letters or more one edit apart (a letter wrong, missing, extra or two swapped).</summary>
    private static bool Near(string word, string cue)
    {
        if (word == cue)
        {
            return true;
        }

        // Short words one edit apart are other words ("make"/"male"); "room" and "list" are the short ones often misspelt.
        var forgiving = cue.Length >= 5 || cue is "room" or "list";
        return forgiving && Math.Abs(word.Length - cue.Length) <= 1 && Distance(word, cue) <= 1;
    }

    /// <summary>Edit distance with adjacent swaps counted as one edit (optimal string alignment).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
