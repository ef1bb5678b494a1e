using Chatroom.Core.Chat;

namespace Chatroom.Analysis.Moderation.Classifiers;

/// <summary>
/// The second stage's CPU budget: a token bucket of MiniLM inferences per second shared by every analysis worker of
/// the process (the standalone host runs analysis beside chat, and one inference costs milliseconds of a core). It
/// holds at most one second's worth and starts full; a rate of 0 or less is unlimited. The rate is read on every take,
/// so a configuration reload applies at once (with a full bucket at the new rate).
/// </summary>
/// <param name="time">The clock the bucket refills by (a manual one in tests).</param>
/// <param name="perSecond">Inferences per second (<see cref="ModerationOptions.SecondStageBudgetPerSecond"/>).</param>
public sealed class SecondStageBudget(TimeProvider time, Func<int> perSecond)
{
    private Bucket? _bucket;

    /// <summary>Takes one inference from the budget; false when it is spent (the message keeps the first tier's verdict).</summary>
    public bool TryTake()
    {
        var rate = perSecond();
        if (rate <= 0)
        {
            return true;
        }

        var current = Volatile.Read(ref _bucket);
        if (current is null || current.Rate != rate)
        {
            var fresh = new Bucket(rate, new TokenBucket(rate, rate, time));
            current = Interlocked.CompareExchange(ref _bucket, fresh, current) == current ? fresh : Volatile.Read(ref _bucket)!;
        }

        return current.Tokens.TryTake(out _);
    }

    private sealed record Bucket(int Rate, TokenBucket Tokens);
}
