namespace Chatroom.LoadTest;

/// <summary>
/// Latencies in microseconds, lock-free: exact below 128 µs, then 64 buckets per power of two (≤ 1.6 % error),
/// up to about 19 hours. bench/peer/histogram.js is the same structure, so both drivers report alike.
/// </summary>
public sealed class LatencyHistogram
{
    private const int Exact = 128;
    private const int SubBuckets = 64;
    private const int Buckets = Exact + (63 - 7) * SubBuckets;

    private readonly long[] _counts = new long[Buckets];
    private long _count;
    private long _maxMicroseconds;

    public long Count => Interlocked.Read(ref _count);

    public void Record(TimeSpan latency)
    {
        var microseconds = Math.Max(0, (long)latency.TotalMicroseconds);
        Interlocked.Increment(ref _counts[Index(microseconds)]);
        Interlocked.Increment(ref _count);
        var max = Interlocked.Read(ref _maxMicroseconds);
        while (microseconds > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxMicroseconds, microseconds, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>p50, p90, p99 and max in milliseconds (a percentile is its bucket's lower bound); zeros when empty.</summary>
    public LatencySummary Summarise()
    {
        var counts = _counts.Select(c => Interlocked.Read(ref c)).ToArray();
        var total = counts.Sum();
        if (total == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0);
        }

        double Percentile(double q)
        {
            var rank = (long)Math.Ceiling(q * total);
            long seen = 0;
            for (var i = 0; i < counts.Length; i++)
            {
                seen += counts[i];
                if (seen >= rank)
                {
                    return LowerBound(i) / 1000.0;
                }
            }

            return LowerBound(counts.Length - 1) / 1000.0;
        }

        return new LatencySummary(total, Percentile(0.50), Percentile(0.90), Percentile(0.99), Interlocked.Read(ref _maxMicroseconds) / 1000.0);
    }

    private static int Index(long microseconds)
    {
        if (microseconds < Exact)
        {
            return (int)microseconds;
        }

        var exponent = 63 - (int)ulong.LeadingZeroCount((ulong)microseconds);
        var top = microseconds >> (exponent - 6);
        return Math.Min(Buckets - 1, Exact + (exponent - 7) * SubBuckets + (int)(top - SubBuckets));
    }

    private static long LowerBound(int index)
    {
        if (index < Exact)
        {
            return index;
        }

        var exponent = 7 + (index - Exact) / SubBuckets;
        var top = SubBuckets + (index - Exact) % SubBuckets;
        return (long)top << (exponent - 6);
    }
}

/// <summary>A latency distribution in milliseconds.</summary>
public sealed record LatencySummary(long Count, double P50, double P90, double P99, double Max);
