using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;

namespace Chatroom.Analysis.Moderation;

/// <summary>All word lists the embedded tier uses, loaded once from the assembly's embedded resources.</summary>
public sealed class ModerationLexicon
{
    private static readonly Lazy<ModerationLexicon> DefaultInstance = new(Load);

    private ModerationLexicon(
        FrozenDictionary<string, double> valence,
        FrozenSet<string> emoticons,
        FrozenDictionary<string, string[]> acronyms,
        FrozenDictionary<string, SafetyTerm[]> safetyByFirstToken,
        FrozenSet<string> vocabulary,
        string[] obfuscationTargets)
    {
        Valence = valence;
        Emoticons = emoticons;
        Acronyms = acronyms;
        SafetyByFirstToken = safetyByFirstToken;
        Vocabulary = vocabulary;
        ObfuscationTargets = obfuscationTargets;
        VocabularyLookup = vocabulary.GetAlternateLookup<ReadOnlySpan<char>>();
        AcronymLookup = acronyms.GetAlternateLookup<ReadOnlySpan<char>>();
        EmoticonLookup = emoticons.GetAlternateLookup<ReadOnlySpan<char>>();
        ValenceLookup = valence.GetAlternateLookup<ReadOnlySpan<char>>();
        ValenceKeyLookup = valence.Keys.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        ObfuscationTargetSet = obfuscationTargets.ToFrozenSet(StringComparer.Ordinal);
        TargetLookup = ObfuscationTargetSet.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public static ModerationLexicon Default => DefaultInstance.Value;

    /// <summary>Word, emoji and emoticon valence on VADER's -4..4 scale.</summary>
    public FrozenDictionary<string, double> Valence { get; }

    public FrozenSet<string> Emoticons { get; }

    public FrozenDictionary<string, string[]> Acronyms { get; }

    public FrozenDictionary<string, SafetyTerm[]> SafetyByFirstToken { get; }

    /// <summary>Every word some list knows; the normaliser prefers readings that land in it.</summary>
    public FrozenSet<string> Vocabulary { get; }

    /// <summary>Words worth disguising (safety terms, strong sentiment words): what masks and spaced letters resolve to.</summary>
    public string[] ObfuscationTargets { get; }

    internal FrozenSet<string> ObfuscationTargetSet { get; }

    internal FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> VocabularyLookup { get; }

    internal FrozenDictionary<string, string[]>.AlternateLookup<ReadOnlySpan<char>> AcronymLookup { get; }

    internal FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> EmoticonLookup { get; }

    internal FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> TargetLookup { get; }

    internal FrozenDictionary<string, double>.AlternateLookup<ReadOnlySpan<char>> ValenceLookup { get; }

    internal FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ValenceKeyLookup { get; }

    private static ModerationLexicon Load()
    {
        var valence = new Dictionary<string, double>(StringComparer.Ordinal);
        var emoticons = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in ReadPairs("vader.txt"))
        {
            var score = double.Parse(value, CultureInfo.InvariantCulture);
            valence[key] = score;
            if (key.Length >= 2 && key.Any(c => !char.IsAsciiLetterOrDigit(c)))
            {
                emoticons.Add(key);
            }
        }

        foreach (var extra in (string[])[":)", ":(", ":D", ":P", ":p", ";)", ":-)", ":-(", ":'(", ":/", "<3", "</3", "xD", "XD", ":O", ":o", "D:", "T_T", ";_;", "^_^", "^^", ":3", "-_-", ">:(", ":|"])
        {
            emoticons.Add(extra);
        }

        foreach (var (key, value) in ReadPairs("mood_extra.txt").Concat(ReadPairs("emoji.txt")))
        {
            valence[key] = double.Parse(value, CultureInfo.InvariantCulture);
        }

        valence.TryAdd("</3", -2.6);
        valence.TryAdd("T_T", -2.0);
        valence.TryAdd(";_;", -2.0);
        valence.TryAdd("-_-", -1.0);

        var acronyms = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, value) in ReadPairs("acronyms.txt"))
        {
            acronyms[key] = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }

        var safety = new List<SafetyTerm>();
        foreach (var line in ReadLines("safety.txt"))
        {
            var parts = line.Split('\t');
            var kind = ParseKind(parts[0]);
            var weight = double.Parse(parts[1], CultureInfo.InvariantCulture);
            var tokens = parts[2].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            safety.Add(new SafetyTerm(tokens, kind, weight));
        }

        var byFirst = safety
            .GroupBy(t => t.Tokens[0], StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.OrderByDescending(t => t.Tokens.Length).ToArray(), StringComparer.Ordinal);

        var vocabulary = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in valence.Keys.Where(k => k.All(char.IsAsciiLetterLower)))
        {
            vocabulary.Add(key);
        }

        foreach (var term in safety)
        {
            foreach (var token in term.Tokens)
            {
                vocabulary.Add(token);
            }
        }

        foreach (var (key, expansion) in acronyms)
        {
            vocabulary.Add(key);
            foreach (var token in expansion)
            {
                vocabulary.Add(token);
            }
        }

        foreach (var common in CommonWords)
        {
            vocabulary.Add(common);
        }

        var targets = safety
            .Where(t => t.Kind is not (SafetyTermKind.Benign or SafetyTermKind.Group or SafetyTermKind.Spam) && t.Tokens.Length == 1 && t.Tokens[0].Length >= 3)
            .OrderByDescending(t => t.Weight)
            .Select(t => t.Tokens[0])
            .Concat(valence.Where(p => Math.Abs(p.Value) >= 2.0 && p.Key.Length >= 3 && p.Key.All(char.IsAsciiLetterLower)).OrderByDescending(p => Math.Abs(p.Value)).Select(p => p.Key))
            .Concat(acronyms.Keys.Where(k => k.Length >= 3 && k.All(char.IsAsciiLetterLower)))
            .Distinct(StringComparer.Ordinal)
            .ToArray();

        return new ModerationLexicon(
            valence.ToFrozenDictionary(StringComparer.Ordinal),
            emoticons.ToFrozenSet(StringComparer.Ordinal),
            acronyms.ToFrozenDictionary(StringComparer.Ordinal),
            byFirst,
            vocabulary.ToFrozenSet(StringComparer.Ordinal),
            targets);
    }

    private static SafetyTermKind ParseKind(string kind) => kind switch
    {
        "profanity" => SafetyTermKind.Profanity,
        "insult" => SafetyTermKind.Insult,
        "slur" => SafetyTermKind.Slur,
        "sexual" => SafetyTermKind.Sexual,
        "selfharm" => SafetyTermKind.SelfHarm,
        "incite" => SafetyTermKind.Incite,
        "violent_verb" => SafetyTermKind.ViolentVerb,
        "threat" => SafetyTermKind.Threat,
        "grooming_age" => SafetyTermKind.GroomingAge,
        "grooming_secret" => SafetyTermKind.GroomingSecret,
        "grooming_meet" => SafetyTermKind.GroomingMeet,
        "grooming_flattery" => SafetyTermKind.GroomingFlattery,
        "grooming_minor" => SafetyTermKind.GroomingMinor,
        "spam" => SafetyTermKind.Spam,
        "group" => SafetyTermKind.Group,
        "dehumanize" => SafetyTermKind.Dehumanize,
        "benign" => SafetyTermKind.Benign,
        _ => throw new InvalidDataException($"Unknown safety term kind '{kind}'."),
    };

    private static IEnumerable<(string Key, string Value)> ReadPairs(string resource)
    {
        foreach (var line in ReadLines(resource))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0)
            {
                yield return (line[..tab], line[(tab + 1)..].Trim());
            }
        }
    }

    private static IEnumerable<string> ReadLines(string resource)
    {
        var name = "Chatroom.Analysis.Lexicons." + resource;
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded lexicon '{name}' is missing.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                yield return line;
            }
        }
    }

    // Words the stretch and leetspeak resolvers must recognise although no list scores them.
    private static readonly string[] CommonWords =
    [
        "you", "your", "yourself", "i", "me", "my", "myself", "we", "they", "he", "she", "it", "this", "that", "so", "too", "no", "yes",
        "hi", "hey", "hello", "bye", "what", "why", "how", "who", "the", "and", "but", "not", "all", "will", "well", "see", "soon",
        "now", "please", "really", "very", "omg", "oh", "ok", "okay", "man", "bro", "dude", "go", "die", "dead", "hate", "love", "good",
        "cool", "nice", "bad", "sad", "mad", "leet", "elite", "hello", "people", "everyone", "tonight", "today",
    ];
}
