using System.Collections.Frozen;
using Chatroom.Analysis.Moderation.Normalization;

namespace Chatroom.Analysis.Moderation.Classifiers;

/// <summary>
/// Hashed sparse features of the trained mood model: unigrams and bigrams of normalised tokens, with words inside a
/// negation's three-token window marked as negated. Shared by the runtime and the offline trainer
/// (tools/Chatroom.Moderation.Trainer), so the weights they exchange index the same buckets.
/// </summary>
public static class MoodFeatures
{
    /// <summary>log2 of the weight table size.</summary>
    public const int Bits = 18;

    public const int TableSize = 1 << Bits;

    private const uint FnvOffset = FeatureHash.FnvOffset;
    private const uint FnvPrime = FeatureHash.FnvPrime;
    private const uint NegatedSalt = 0x9E3779B9;
    private const uint BigramSalt = 0x85EBCA6B;

    private static readonly FrozenSet<string> Negations = new[]
    {
        "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot", "can't", "cant", "don't", "dont",
        "didn't", "didnt", "doesn't", "doesnt", "isn't", "isnt", "wasn't", "wasnt", "won't", "wont", "wouldn't", "wouldnt", "couldn't",
        "couldnt", "shouldn't", "shouldnt", "aren't", "arent", "weren't", "werent", "haven't", "havent", "hasn't", "hasnt", "ain't", "aint",
        "hardly", "barely",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Writes the feature buckets of <paramref name="text"/> into <paramref name="buckets"/>; returns how many were written.</summary>
    public static int Extract(NormalizedText text, Span<int> buckets)
    {
        var tokens = text.Tokens;
        var n = 0;
        var previous = 0u;
        var negatedFor = 0;
        for (var i = 0; i < tokens.Count && n + 2 <= buckets.Length; i++)
        {
            var token = tokens[i];
            var hash = token.Kind switch
            {
                TokenKind.Number => FeatureHash.Fnv("<num>"),
                _ => FeatureHash.Fnv(token.Text),
            };

            var unigram = negatedFor > 0 ? hash ^ NegatedSalt : hash;
            buckets[n++] = Bucket(FeatureHash.Mix(unigram));
            if (i > 0)
            {
                buckets[n++] = Bucket(FeatureHash.Mix((previous * FnvPrime) ^ hash ^ BigramSalt));
            }

            previous = hash;
            negatedFor = token.Kind == TokenKind.Word && Negations.Contains(token.Text) ? 3 : Math.Max(0, negatedFor - 1);
        }

        return n;
    }

    /// <summary>Upper bound of <see cref="Extract"/>'s output for a message of <paramref name="tokenCount"/> tokens.</summary>
    public static int MaxFeatures(int tokenCount) => Math.Max(2, tokenCount * 2);

    private static int Bucket(uint hash) => (int)(hash >> (32 - Bits));
}
