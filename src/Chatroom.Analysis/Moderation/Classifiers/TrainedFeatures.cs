using System.Collections.Frozen;
using Chatroom.Analysis.Moderation.Normalization;

namespace Chatroom.Analysis.Moderation.Classifiers;

/// <summary>
/// Sparse features of the trained tier (<see cref="TrainedModel"/>), shared by the runtime and the offline trainer
/// (tools/Chatroom.Moderation.Trainer) so the weights they exchange index the same slots: hashed word unigrams and
/// bigrams of the normalised tokens (words in a negation's scope marked), hashed character 3–5-grams of each word
/// with its boundaries (they carry spelling variants, stretched words and hashtag pieces the word table misses), and
/// a few dense slots (lexicon compound, emphasis, surface counts). Word and character groups are each scaled to unit
/// length so long messages do not dominate.
/// </summary>
public static class TrainedFeatures
{
    /// <summary>log2 of the hashed table size.</summary>
    public const int Bits = 18;

    public const int HashedSize = 1 << Bits;

    /// <summary>Dense slots after the hashed table: lexicon compound, its positive and negative parts, exclamations, questions, caps, stretched, URLs, mentions.</summary>
    public const int DenseCount = 9;

    /// <summary>All slots: hashed table plus dense ones.</summary>
    public const int SlotCount = HashedSize + DenseCount;

    private const int MinChar = 3;
    private const int MaxChar = 5;
    private const uint FnvOffset = FeatureHash.FnvOffset;
    private const uint FnvPrime = FeatureHash.FnvPrime;
    private const uint NegatedSalt = 0x9E3779B9;
    private const uint BigramSalt = 0x85EBCA6B;
    private const uint CharSalt = 0xC2B2AE35;

    private static readonly FrozenSet<string> Negations = new[]
    {
        "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot", "can't", "cant", "don't", "dont",
        "didn't", "didnt", "doesn't", "doesnt", "isn't", "isnt", "wasn't", "wasnt", "won't", "wont", "wouldn't", "wouldnt", "couldn't",
        "couldnt", "shouldn't", "shouldnt", "aren't", "arent", "weren't", "werent", "haven't", "havent", "hasn't", "hasnt", "ain't", "aint",
        "hardly", "barely",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Upper bound of <see cref="Extract"/>'s output for <paramref name="text"/>.</summary>
    public static int MaxFeatures(NormalizedText text)
    {
        var total = DenseCount + 2;
        foreach (var token in text.Tokens)
        {
            // Unigram, bigram, and at most three n-gram lengths per position of "<word>".
            total += 2 + ((token.Text.Length + 2) * (MaxChar - MinChar + 1));
        }

        return total;
    }

    /// <summary>
    /// Writes slot indices and values of <paramref name="text"/>; returns how many. <paramref name="lexiconCompound"/> is
    /// the VADER compound (<see cref="MoodClassifier.Compound"/>), which the model reads as one more feature.
    /// </summary>
    public static int Extract(NormalizedText text, double lexiconCompound, Span<int> slots, Span<float> values)
    {
        var tokens = text.Tokens;
        var n = 0;
        var previous = FnvOffset;
        var negatedFor = 0;
        var stretched = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var hash = token.Kind == TokenKind.Number ? FeatureHash.Fnv("<num>") : FeatureHash.Fnv(token.Text);
            stretched += token.Is(TokenTraits.Stretched) ? 1 : 0;
            slots[n++] = Slot(negatedFor > 0 ? hash ^ NegatedSalt : hash);
            slots[n++] = Slot((previous * FnvPrime) ^ hash ^ BigramSalt);
            previous = hash;
            negatedFor = token.Kind == TokenKind.Word && Negations.Contains(token.Text) ? 3 : Math.Max(0, negatedFor - 1);
        }

        var words = n;
        if (tokens.Count > 0)
        {
            // The end of the message as a bigram: closing words ("..., not", "lol") read differently.
            slots[n++] = Slot((previous * FnvPrime) ^ BigramSalt);
            words = n;
        }

        foreach (var token in tokens)
        {
            if (token.Kind is TokenKind.Word or TokenKind.Number)
            {
                n += CharGrams(token.Text, slots[n..]);
            }
        }

        var chars = n - words;
        Fill(values[..words], words);
        Fill(values[words..n], chars);

        var dense = HashedSize;
        Dense(ref n, slots, values, dense++, lexiconCompound);
        Dense(ref n, slots, values, dense++, Math.Max(0, lexiconCompound));
        Dense(ref n, slots, values, dense++, Math.Min(0, lexiconCompound));
        Dense(ref n, slots, values, dense++, Math.Min(text.Exclamations, 4) / 4.0);
        Dense(ref n, slots, values, dense++, Math.Min(text.Questions, 4) / 4.0);
        Dense(ref n, slots, values, dense++, text.Letters >= 8 ? text.CapsRatio : 0);
        Dense(ref n, slots, values, dense++, Math.Min(stretched, 3) / 3.0);
        Dense(ref n, slots, values, dense++, Math.Min(text.Urls, 2) / 2.0);
        Dense(ref n, slots, values, dense, Math.Min(text.Mentions, 3) / 3.0);
        return n;
    }

    private static void Dense(ref int n, Span<int> slots, Span<float> values, int slot, double value)
    {
        if (value != 0)
        {
            slots[n] = slot;
            values[n++] = (float)value;
        }
    }

    private static void Fill(Span<float> values, int count)
    {
        if (count > 0)
        {
            values.Fill((float)(1 / Math.Sqrt(count)));
        }
    }

    /// <summary>Character n-grams of "&lt;word&gt;" (boundaries included), hashed without allocating.</summary>
    private static int CharGrams(string word, Span<int> slots)
    {
        var length = word.Length + 2;
        var n = 0;
        for (var start = 0; start < length; start++)
        {
            var hash = FnvOffset ^ CharSalt;
            for (var k = 0; k < MaxChar && start + k < length; k++)
            {
                var position = start + k;
                var c = position == 0 ? '<' : position == length - 1 ? '>' : word[position - 1];
                hash = (hash ^ c) * FnvPrime;
                if (k + 1 >= MinChar)
                {
                    slots[n++] = Slot(hash);
                }
            }
        }

        return n;
    }

    private static int Slot(uint hash) => (int)(FeatureHash.Mix(hash) >> (32 - Bits));
}
