using Chatroom.Core.Chat;

namespace Chatroom.Core.Tests.Chat;

public sealed class TokenBucketTests
{
    [Fact]
    public void ABurstPassesThenTheRateApplies()
    {
        var time = new ManualTime();
        var bucket = new TokenBucket(ratePerSecond: 10, burst: 20, time);

        for (var i = 0; i < 20; i++)
        {
            Assert.True(bucket.TryTake(out _));
        }

        Assert.False(bucket.TryTake(out var wait));
        Assert.Equal(0.1, wait.TotalSeconds, precision: 3);

        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(bucket.TryTake(out _));
        Assert.False(bucket.TryTake(out _));
    }

    [Fact]
    public void AnIdleBucketRefillsOnlyUpToItsBurst()
    {
        var time = new ManualTime();
        var bucket = new TokenBucket(ratePerSecond: 10, burst: 5, time);
        time.Advance(TimeSpan.FromHours(1));

        var taken = 0;
        while (bucket.TryTake(out _))
        {
            taken++;
        }

        Assert.Equal(5, taken);
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
