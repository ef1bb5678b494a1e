namespace Chatroom.Analysis.Moderation.Classifiers;

/// <summary>
/// The hashing both feature extractors use (<see cref="MoodFeatures"/>, <see cref="TrainedFeatures"/>): FNV-1a over the
/// UTF-16 characters and a Murmur3 finaliser. Changing it changes every committed model's feature slots.
/// </summary>
internal static class FeatureHash
{
    public const uint FnvOffset = 2166136261;
    public const uint FnvPrime = 16777619;

    public static uint Fnv(string text)
    {
        var hash = FnvOffset;
        foreach (var c in text)
        {
            hash = (hash ^ c) * FnvPrime;
        }

        return hash;
    }

    // Murmur3 finaliser: FNV's high bits are weak for short strings, and the buckets take the high bits.
    public static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6B;
        h ^= h >> 13;
        h *= 0xC2B2AE35;
        h ^= h >> 16;
        return h;
    }
}
