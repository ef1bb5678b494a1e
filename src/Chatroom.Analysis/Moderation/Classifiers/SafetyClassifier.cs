using System.Collections.Frozen;
using Chatroom.Analysis.Moderation.Normalization;

namespace Chatroom.Analysis.Moderation.Classifiers;

/// <summary>
/// Rule and lexicon safety classifier. Phrases from the safety lexicon are evidence; rules weigh them by who they
/// are aimed at (second person for insults, first-person intent plus a target for threats, first person for
/// self-harm, age plus secrecy plus meeting for grooming) and benign idioms cancel them. Each category's evidence
/// goes through a logistic calibration; the unsafe score combines categories as a noisy-or.
/// </summary>
public sealed class SafetyClassifier
{
    private const int Harassment = 0;
    private const int Hate = 1;
    private const int Sexual = 2;
    private const int SelfHarm = 3;
    private const int Violence = 4;
    private const int Minors = 5;
    private const int Spam = 6;
    private const int CategoryCount = 7;

    private static readonly FrozenSet<string> SecondPerson = new[]
    {
        "you", "your", "yourself", "you're", "you'll", "yours", "yourselves", "thou", "<mention>", "ya",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> FirstPersonIntent = new[]
    {
        "i", "i'm", "i'll", "we", "we'll", "we're", "going", "gonna", "will", "wanna", "want", "gon", "finna", "about", "shall", "should",
        "let", "lets", "let's", "i'd", "would", "ima",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> FirstPersonSelf = new[] { "i'm", "i", "me", "myself", "i've", "i'd" }
        .ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> PersonTargets = new[]
    {
        "you", "your", "yourself", "him", "her", "them", "his", "their", "everyone", "everybody", "u", "<mention>", "ya", "y'all", "yall",
        "people", "family", "kids", "wife", "husband", "mom", "dad", "teacher", "school", "this", "the",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> ThirdPersonSubjects = new[]
    {
        "he", "she", "they", "he's", "she's", "they're", "that", "this", "what", "such", "total", "complete", "fucking", "absolute",
        "is", "are", "was", "bunch", "guy", "guys", "mod", "mods", "admin", "those", "these", "them",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Negations = new[]
    {
        "not", "never", "don't", "no", "isn't", "aren't", "wasn't", "won't", "wouldn't", "can't", "didn't", "nobody", "stop", "ain't",
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly ModerationLexicon _lexicon;

    public SafetyClassifier(ModerationLexicon lexicon)
    {
        _lexicon = lexicon;
    }

    /// <param name="text">The normalised message.</param>
    /// <param name="moodScore">The lexicon's tone of the message (-1..1).</param>
    /// <param name="trainedHarassment">
    /// Probability from the trained tier that counts towards harassment (0 = none); combined with the rules' own
    /// probability as a noisy-or, so either source alone can flag a message.
    /// </param>
    /// <param name="trainedHate">
    /// The same for hate. With <paramref name="hateNeedsGroup"/> only when the message names a group: the hate tweets
    /// it learnt from include slurs against one woman, which the project's labelling rules call harassment.
    /// </param>
    /// <param name="hateNeedsGroup">Whether <paramref name="trainedHate"/> needs a named group.</param>
    public SafetyResult Classify(NormalizedText text, double moodScore = 0, double trainedHarassment = 0, double trainedHate = 0, bool hateNeedsGroup = false)
    {
        Span<double> evidence = stackalloc double[CategoryCount];
        Evidence(text, moodScore, evidence, out var groupPresent);

        var scores = new double[CategoryCount];
        var safeProduct = 1.0;
        var best = 0;
        for (var c = 0; c < CategoryCount; c++)
        {
            var p = evidence[c] <= 0 ? Calibration.Sigmoid(Calibration.SafetyOffset) : Calibration.Sigmoid((Calibration.SafetySlope * evidence[c]) + Calibration.SafetyOffset);
            var trained = c == Harassment ? trainedHarassment : c == Hate && (groupPresent || !hateNeedsGroup) ? trainedHate : 0;
            p = 1 - ((1 - p) * (1 - trained));
            scores[c] = Math.Round(p, 4);
            safeProduct *= 1 - p;
            if (p > scores[best])
            {
                best = c;
            }
        }

        // Noisy-or of the categories, less the floor every category carries so a clean message scores near zero.
        var floor = 1 - Math.Pow(1 - Calibration.Sigmoid(Calibration.SafetyOffset), CategoryCount);
        var unsafeScore = Math.Clamp((1 - safeProduct - floor) / (1 - floor), 0, 1);
        var isUnsafe = unsafeScore >= 0.5;
        var categories = new List<string>(2);
        if (isUnsafe)
        {
            for (var c = 0; c < CategoryCount; c++)
            {
                if (scores[c] >= 0.5 || c == best)
                {
                    categories.Add(SafetyCategories.All[c]);
                }
            }
        }

        var confidence = isUnsafe ? unsafeScore : 1 - unsafeScore;
        return new SafetyResult(isUnsafe, Math.Round(unsafeScore, 4), Math.Round(confidence, 4), categories, scores);
    }

    /// <summary>Whether the message speaks to someone (second person or a mention), which harassment needs.</summary>
    public static bool IsAddressed(NormalizedText text)
    {
        foreach (var token in text.Tokens)
        {
            if (SecondPerson.Contains(token.Text) || token.Text is "u" or "ur" or "yall" or "y'all")
            {
                return true;
            }
        }

        return false;
    }

    private void Evidence(NormalizedText text, double moodScore, Span<double> evidence, out bool groupPresent)
    {
        var tokens = text.Tokens;
        var count = tokens.Count;
        Span<bool> suppressed = count <= 256 ? stackalloc bool[count] : new bool[count];
        var matches = new List<(SafetyTerm Term, int Start)>();

        // Benign idioms first: "kill time", "shoot me a message", "suicide prevention".
        for (var i = 0; i < count; i++)
        {
            if (_lexicon.SafetyByFirstToken.TryGetValue(tokens[i].Text, out var terms))
            {
                foreach (var term in terms)
                {
                    if (term.Kind == SafetyTermKind.Benign && Matches(tokens, i, term.Tokens))
                    {
                        suppressed.Slice(i, term.Tokens.Length).Fill(true);
                        break;
                    }
                }
            }
        }

        for (var i = 0; i < count; i++)
        {
            if (suppressed[i] || !_lexicon.SafetyByFirstToken.TryGetValue(tokens[i].Text, out var terms))
            {
                continue;
            }

            foreach (var term in terms)
            {
                if (term.Kind != SafetyTermKind.Benign && Matches(tokens, i, term.Tokens))
                {
                    matches.Add((term, i));
                    if (term.Tokens.Length > 1 || term.Kind != SafetyTermKind.ViolentVerb)
                    {
                        break;
                    }
                }
            }
        }

        groupPresent = false;
        var dehumanize = 0.0;
        var groomingKinds = 0;
        var grooming = 0.0;
        var minorMentioned = false;
        var seenKinds = 0u;
        var profanity = 0.0;
        var obfuscatedHit = false;
        var shortMessage = WordCount(tokens) <= 3;

        foreach (var (term, start) in matches)
        {
            var w = term.Weight;
            var end = start + term.Tokens.Length;
            obfuscatedHit |= AnyObfuscated(tokens, start, end);
            var negated = IsNegated(tokens, start);
            switch (term.Kind)
            {
                case SafetyTermKind.Profanity:
                    {
                        var targeted = term.Tokens.Length > 1 || shortMessage || Near(tokens, start, end, SecondPerson, 4, 3);
                        var amount = targeted ? w * 1.35 : w * (moodScore < -0.3 ? 0.95 : 0.7);
                        evidence[Harassment] += amount;
                        profanity += w;
                        break;
                    }

                case SafetyTermKind.Insult:
                    {
                        var targeted = Near(tokens, start, end, SecondPerson, 4, 2) || term.Tokens.Length > 1 || shortMessage;
                        var aimed = targeted || Near(tokens, start, end, ThirdPersonSubjects, 3, 0);
                        var amount = targeted ? w * 1.8 : aimed ? w * 1.3 : w * 0.55;
                        if (!targeted && Near(tokens, start, end, FirstPersonSelf, 3, 0))
                        {
                            // "I'm such an idiot" is self-talk, not harassment.
                            amount = w * 0.3;
                        }

                        evidence[Harassment] += negated ? amount * 0.25 : amount;
                        dehumanize += w * 0.5;
                        break;
                    }

                case SafetyTermKind.Slur:
                    evidence[Hate] += w;
                    evidence[Harassment] += Near(tokens, start, end, SecondPerson, 4, 3) ? w * 0.6 : 0;
                    break;

                case SafetyTermKind.Sexual:
                    evidence[Sexual] += negated ? w * 0.4 : w * 1.3;
                    evidence[Sexual] += Near(tokens, start, end, SecondPerson, 3, 3) ? 0.6 : 0;
                    break;

                case SafetyTermKind.SelfHarm:
                    evidence[SelfHarm] += negated ? w * 0.3 : w;
                    break;

                case SafetyTermKind.Incite:
                    evidence[Harassment] += w;
                    evidence[SelfHarm] += w * 0.75;
                    break;

                case SafetyTermKind.Threat:
                    evidence[Violence] += negated ? w * 0.3 : w;
                    evidence[Harassment] += w * 0.4;
                    break;

                case SafetyTermKind.ViolentVerb:
                    evidence[Violence] += ViolentVerbEvidence(tokens, start, end, w, negated);
                    break;

                case SafetyTermKind.GroomingAge or SafetyTermKind.GroomingSecret or SafetyTermKind.GroomingMeet or SafetyTermKind.GroomingFlattery or SafetyTermKind.GroomingMinor:
                    {
                        var bit = 1u << (int)term.Kind;
                        if ((seenKinds & bit) == 0)
                        {
                            seenKinds |= bit;
                            groomingKinds++;
                        }

                        grooming += w;
                        minorMentioned |= term.Kind is SafetyTermKind.GroomingMinor or SafetyTermKind.GroomingAge;
                        break;
                    }

                case SafetyTermKind.Spam:
                    evidence[Spam] += w;
                    break;

                case SafetyTermKind.Group:
                    groupPresent = true;
                    break;

                case SafetyTermKind.Dehumanize:
                    dehumanize += w;
                    break;
            }
        }

        if (groupPresent)
        {
            var hatred = HasWord(tokens, "hate") || HasWord(tokens, "despise") || HasWord(tokens, "hates");
            if (dehumanize > 0 || hatred || profanity > 0)
            {
                evidence[Hate] += 1.2 + dehumanize + (hatred ? 1.2 : 0) + (profanity * 0.5);
            }
        }

        if (grooming > 0)
        {
            evidence[Minors] += grooming + ((groomingKinds - 1) * 1.3);
            if (evidence[Sexual] > 0 && minorMentioned)
            {
                evidence[Minors] += 2.0 + evidence[Sexual];
            }
        }

        evidence[Spam] += SpamSurface(text);
        if (evidence[Spam] > 0 && text.Urls > 0)
        {
            evidence[Spam] += 0.8;
        }

        if (obfuscatedHit)
        {
            // Disguising a word is itself a sign of intent.
            for (var c = 0; c < Spam; c++)
            {
                if (evidence[c] > 0)
                {
                    evidence[c] += 0.5;
                }
            }
        }
    }

    private static double ViolentVerbEvidence(IReadOnlyList<NormalizedToken> tokens, int start, int end, double weight, bool negated)
    {
        var hasTarget = false;
        for (var k = end; k < Math.Min(tokens.Count, end + 3) && !hasTarget; k++)
        {
            hasTarget = PersonTargets.Contains(tokens[k].Text) && !(tokens[k].Text is "this" or "the" && k + 1 < tokens.Count && !IsPersonNoun(tokens[k + 1].Text));
        }

        if (!hasTarget)
        {
            return 0;
        }

        var intent = Near(tokens, start, end, FirstPersonIntent, 4, 0);
        var amount = intent ? 2.0 + weight : 0.6 * weight;
        return negated ? amount * 0.3 : amount;
    }

    private static int WordCount(IReadOnlyList<NormalizedToken> tokens)
    {
        var words = 0;
        foreach (var token in tokens)
        {
            words += token.Kind == TokenKind.Word && !token.Is(TokenTraits.Expanded) ? 1 : 0;
        }

        return words;
    }

    private static bool IsPersonNoun(string word) => word is "guy" or "bitch" or "kid" or "man" or "woman" or "girl" or "boy" or "teacher" or "school" or "class" or "dude" or "idiot" or "family" or "place";

    private static double SpamSurface(NormalizedText text)
    {
        var score = Math.Min(text.Urls, 3) * 0.9;
        var words = 0;
        var emoji = 0;
        HashSet<string>? distinct = null;
        foreach (var token in text.Tokens)
        {
            if (token.Kind == TokenKind.Word)
            {
                words++;
                (distinct ??= new HashSet<string>(StringComparer.Ordinal)).Add(token.Text);
            }
            else if (token.Kind is TokenKind.Emoji)
            {
                emoji++;
            }
        }

        if (words >= 6 && distinct!.Count < words * 0.45)
        {
            score += 2.2;
        }

        if (text.Letters >= 16 && text.CapsRatio > 0.8)
        {
            score += 0.8;
        }

        if (emoji >= 10)
        {
            score += 0.8;
        }

        if (text.Mentions >= 4)
        {
            score += 1.2;
        }

        return score;
    }

    private static bool Matches(IReadOnlyList<NormalizedToken> tokens, int start, string[] phrase)
    {
        if (start + phrase.Length > tokens.Count)
        {
            return false;
        }

        for (var k = 1; k < phrase.Length; k++)
        {
            if (!string.Equals(tokens[start + k].Text, phrase[k], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Near(IReadOnlyList<NormalizedToken> tokens, int start, int end, FrozenSet<string> words, int before, int after)
    {
        for (var k = Math.Max(0, start - before); k < Math.Min(tokens.Count, end + after); k++)
        {
            if ((k < start || k >= end) && words.Contains(tokens[k].Text))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNegated(IReadOnlyList<NormalizedToken> tokens, int start)
    {
        for (var k = Math.Max(0, start - 3); k < start; k++)
        {
            if (Negations.Contains(tokens[k].Text))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyObfuscated(IReadOnlyList<NormalizedToken> tokens, int start, int end)
    {
        for (var k = start; k < end; k++)
        {
            if (tokens[k].Is(TokenTraits.Obfuscated))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasWord(IReadOnlyList<NormalizedToken> tokens, string word)
    {
        foreach (var token in tokens)
        {
            if (string.Equals(token.Text, word, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
