using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Chatroom.Core.Rooms;

namespace Chatroom.Analysis.Agents.Routing;

/// <summary>
/// Forgiving reading of a request's arguments without a model: room names made into valid slugs, topics and queries
/// cut out of the sentence around them. People write "a room called Book Club!" or "a hiking channel", not the
/// argument syntax; these find the words they meant and leave the checking of values to the tools.
/// </summary>
public static partial class CommandText
{
    /// <summary>
    /// A room name people wrote, as the slug the room rules accept: accents folded, lower case, every run of other
    /// characters one '-', quotes, '#' and surrounding punctuation dropped ("Book Club!" -> book-club, "Café" -> cafe).
    /// Empty when nothing usable is left.
    /// </summary>
    public static string Slug(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var folded = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                folded.Append(c switch { 'ß' => "ss", 'æ' or 'Æ' => "ae", 'ø' or 'Ø' => "o", 'œ' or 'Œ' => "oe", 'ł' or 'Ł' => "l", _ => c.ToString() });
            }
        }

        var slug = new StringBuilder(folded.Length);
        foreach (var c in folded.ToString().ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                slug.Append(c);
            }
            else if (c is not '\'' and not '’' && slug.Length > 0 && slug[^1] != '-')
            {
                // Apostrophes vanish ("Ana's room" -> anas-room); every other separator becomes one dash.
                slug.Append('-');
            }
        }

        var result = slug.ToString().Trim('-');
        return result.Length <= RoomNames.MaxLength ? result : result[..RoomNames.MaxLength].TrimEnd('-');
    }

    /// <summary>The request's words, lower case.</summary>
    public static IReadOnlyList<string> Words(string request) => AgentRouter.Words(request);

    /// <summary>The request without a greeting in front ("hey concierge, list rooms" -> "list rooms").</summary>
    public static string WithoutGreeting(string request)
    {
        var text = request.Trim();
        var rest = GreetingPattern().Replace(text, "");
        return rest.Length > 0 ? rest : text;
    }

    /// <summary>The room name a create request gives, as written (not yet a slug); null when it names none.</summary>
    public static string? RoomName(string request)
    {
        var text = request.Trim();
        foreach (var pattern in (Regex[])[QuotedPattern(), CalledPattern(), HashPattern(), NameBeforeRoomPattern(), NameAfterRoomPattern(), RoomForPattern()])
        {
            var match = pattern.Match(text);
            if (match.Success && Clean(match.Groups["name"].Value) is { Length: > 0 } name && !NotANameWords.Contains(name.ToLowerInvariant()))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>The topic a create request gives ("… about novels", "… to discuss hiking"); null when none.</summary>
    public static string? RoomTopic(string request) =>
        TopicPattern().Match(request) is { Success: true } match && Clean(match.Groups["topic"].Value) is { Length: > 0 } topic ? topic : null;

    /// <summary>The topic a watch request names ("let me know whenever someone mentions pizza" -> pizza); null when none.</summary>
    public static string? WatchedTopic(string request)
    {
        if (QuotedPattern().Match(request) is { Success: true } quoted)
        {
            return Topic(Clean(quoted.Groups["name"].Value));
        }

        // "watch for mentions of pizza": the words after the outer verb hold another one; the innermost is the topic.
        string? topic = null;
        var text = request;
        for (var depth = 0; depth < 4 && WatchTopicPattern().Match(text) is { Success: true } match; depth++)
        {
            text = match.Groups["topic"].Value;
            topic = Clean(text);
        }

        // "wacth for board games": a misspelt verb, so the topic is what follows the first word.
        if (string.IsNullOrEmpty(topic) && AfterFirstWordPattern().Match(request.Trim()) is { Success: true } rest)
        {
            topic = Clean(rest.Groups["topic"].Value);
        }

        return string.IsNullOrEmpty(topic) ? null : Topic(topic);
    }

    /// <summary>The room a summary request names ("what happened in #food", "recap the food room"); null for the current room.</summary>
    public static string? SummarizedRoom(string request)
    {
        var match = HashPattern().Match(request);
        if (!match.Success)
        {
            match = RoomOfPattern().Match(request);
        }

        var room = match.Success ? Slug(match.Groups["name"].Value) : "";
        return room.Length == 0 || HereWords.Contains(room) ? null : room;
    }

    /// <summary>What to look up in the knowledge base: the words after "search … for", else the request itself.</summary>
    public static string SearchQuery(string request)
    {
        var text = Clean(request);
        foreach (var pattern in (Regex[])[KnowledgeForPattern(), SearchVerbPattern()])
        {
            if (pattern.Match(text) is { Success: true } match && Clean(match.Groups["query"].Value) is { Length: > 0 } query)
            {
                return query;
            }
        }

        return text;
    }

    /// <summary>A watched topic without a leading article: a watch matches when all its words occur, and "the" rarely does.</summary>
    public static string Topic(string topic) => LeadingArticlePattern().Replace(topic.Trim(), "");

    /// <summary>The text without surrounding quotes, a leading '#', polite endings and trailing punctuation.</summary>
    public static string Clean(string value)
    {
        var text = value.Trim();
        string before;
        do
        {
            before = text;
            text = TrailingPattern().Replace(text, "").Trim();
            if (text.Length >= 2 && "\"'“‘«".Contains(text[0]) && "\"'”’»".Contains(text[^1]))
            {
                text = text[1..^1].Trim();
            }

            text = text.TrimStart('#');
        }
        while (text != before);

        return text;
    }

    /// <summary>Words that sit where a name would but are not one ("a new room", "this channel").</summary>
    private static readonly HashSet<string> NotANameWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "new", "chat", "private", "public", "another", "other", "second", "separate", "empty", "this", "that",
        "my", "our", "your", "some", "one", "me", "us", "it", "them", "room", "rooms", "channel", "channels", "different",
    };

    private static readonly HashSet<string> HereWords = new(StringComparer.Ordinal) { "this", "here", "current", "the", "this-room", "our", "my" };

    private const string NameStop = @"(?=\s+(?:about|for|on|to\s+(?:talk|chat|discuss)|where|so|please|pls|thanks|thank|now|if|with\s+(?:the\s+)?topic)\b|\s*[.!?,;:(]|\s*$)";

    // Each quote with its own closing one, so the apostrophe in "Ana's Kitchen" is no quote.
    [GeneratedRegex(@"""(?<name>[^""]{1,80})""|“(?<name>[^”]{1,80})”|«(?<name>[^»]{1,80})»|‘(?<name>[^’]{1,80})’|(?<![\p{L}\p{N}])'(?<name>[^']{1,80})'(?![\p{L}\p{N}])")]
    private static partial Regex QuotedPattern();

    // "called X", "named X", "caled X" (a typo), "call it X", "name it X", "with the name X", "titled X"
    [GeneratedRegex(@"\b(?:cal+e?d|nam[ea]d|titled|(?:call|name)\s+it|with\s+the\s+name|name\s*:)\s+(?<name>.+?)" + NameStop, RegexOptions.IgnoreCase)]
    private static partial Regex CalledPattern();

    [GeneratedRegex(@"#(?<name>[\p{L}\p{N}_-]+)")]
    private static partial Regex HashPattern();

    // "a hiking room", "a new Book Club channel", "our own board games room"
    [GeneratedRegex(@"\b(?:a|an|new|own|the)\s+(?:new\s+|own\s+)?(?<name>[\p{L}\p{N}'’&_-]+(?:\s+[\p{L}\p{N}'’&_-]+){0,3}?)\s+(?:chat\s*)?(?:ro+ms?|rom|channel|chanel)\b", RegexOptions.IgnoreCase)]
    private static partial Regex NameBeforeRoomPattern();

    // "create room hiking", "new channel book club about novels"
    [GeneratedRegex(@"^(?:\S+\s+){0,4}?(?:cr[ea]+te?|make|open|start|add|new|set\s*up)\s+(?:a\s+|an\s+|the\s+)?(?:new\s+)?(?:chat\s*)?(?:ro+m|rom|channel|chanel)\s+(?<name>(?!(?:for|about|on|to|called|named|please)\b)[^\s].*?)" + NameStop, RegexOptions.IgnoreCase)]
    private static partial Regex NameAfterRoomPattern();

    // "a room for the book club": the name when nothing else names it
    [GeneratedRegex(@"\b(?:ro+m|rom|channel|chanel)\s+for\s+(?:the\s+|our\s+|my\s+)?(?<name>(?!(?:me|us|people|everyone|talking|discussing|chatting)\b)[\p{L}\p{N}'’&_-]+(?:\s+[\p{L}\p{N}'’&_-]+){0,3}?)" + NameStop, RegexOptions.IgnoreCase)]
    private static partial Regex RoomForPattern();

    [GeneratedRegex(@"\b(?:about|to\s+(?:talk|chat)\s+about|to\s+discuss|for\s+discussing|for\s+talking\s+about|with\s+(?:the\s+)?topic|on\s+the\s+topic\s+of|topic\s*:?)\s+(?<topic>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex TopicPattern();

    [GeneratedRegex(@"\b(?:watch(?:\s+out)?(?:\s+for)?|keep\s+(?:an\s+)?eye\s+(?:on|out\s+for)|keep\s+track\s+of|track|follow|monitor|mentions?(?:\s+of)?|mentioning|talks?\s+about|talking\s+about|discuss(?:es|ing)?|brings?\s+up|says?\s+(?:anything\s+)?about|about)\s+(?<topic>.+?)(?=\s+(?:comes?\s+up|is\s+(?:mentioned|discussed)|gets\s+mentioned|in\s+(?:the\s+|any\s+)?other\s+(?:rooms?|channels?)|elsewhere|anywhere|in\s+any\s+(?:room|channel)|across|please|pls|for\s+me|thanks)\b|\s*[.!?,;]|\s*$)", RegexOptions.IgnoreCase)]
    private static partial Regex WatchTopicPattern();

    [GeneratedRegex(@"\b(?:in|of|from|for)\s+(?:the\s+)?(?<name>[\p{L}\p{N}_-]+(?:\s+[\p{L}\p{N}_-]+)?)\s+(?:room|channel)\b|\b(?:room|channel)\s+(?<name>(?!(?:is|was|has|today|please|pls|plz|now|thanks)\b)[\p{L}\p{N}_-]+)\s*[.!?]*$", RegexOptions.IgnoreCase)]
    private static partial Regex RoomOfPattern();

    // "what does the handbook say about expenses", "anything in the kb about parking"
    [GeneratedRegex(@"\b(?:knowledge(?:\s*base)?|kb|docs|documentation|wiki|handbook|faq)\s+(?:for|about|on|says?\s+about|says?\s+on|ha(?:ve|s)\s+on)\s+(?<query>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex KnowledgeForPattern();

    // "search for parking", "serach the docs for passwords" (a typo), "look up the vacation policy"
    [GeneratedRegex(@"\b(?:s[ea]+r?[ea]?r?ch|look\s+up|find|look\s+for)(?:\s+(?:in\s+)?(?:the\s+)?(?:knowledge(?:\s*base)?|kb|docs|documentation|wiki|handbook|faq))?(?:\s+(?:for|about|on))?\s+(?<query>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex SearchVerbPattern();

    [GeneratedRegex(@"^(?:(?:hey|hi|hello|yo|ok|okay|so|um|well|dear)\b[\s,!.]*)+(?:(?:there|concierge)\b[\s,!.]*)?", RegexOptions.IgnoreCase)]
    private static partial Regex GreetingPattern();

    [GeneratedRegex(@"^\S+\s+(?:out\s+)?(?:for\s+|on\s+)?(?<topic>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex AfterFirstWordPattern();

    [GeneratedRegex(@"^(?:the|a|an|any|some)\s+(?=\S)", RegexOptions.IgnoreCase)]
    private static partial Regex LeadingArticlePattern();

    [GeneratedRegex(@"(?:[\s,]+(?:please|pls|plz|thanks|thank\s+you|thx|for\s+me|for\s+us|now|right\s+now|asap))+\s*$|[\s.!?,;:]+$|^(?:the\s+)?$", RegexOptions.IgnoreCase)]
    private static partial Regex TrailingPattern();
}
