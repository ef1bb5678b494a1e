using Chatroom.Core.Moderation;
using Chatroom.Redis.Moderation;

namespace Chatroom.Redis.Tests;

/// <summary>The latest verdicts across rooms are one capped sorted set: it never grows past what the admin feed can ask for.</summary>
public sealed class RecentVerdictsTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task OnlyTheNewestVerdictsAreKeptAndARedeliveredOneIsNotAddedAgain()
    {
        var ct = CancellationToken.None;
        await using var backend = await (await TestBackend.ConnectAsync(redis.Server.ConnectionString)).ConnectedAsync();
        var store = new RedisModerationStore(backend.Redis, backend.Options);
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var count = IModerationStore.MaxRecentVerdicts + 30;
        for (var i = 1; i <= count; i++)
        {
            await store.SaveVerdictAsync(new VerdictRecord("lobby", i, "ana", "neutral", 0, "safe", 0.01, [], "embedded", 0.9, start.AddMilliseconds(i)), ct);
        }

        await store.SaveVerdictAsync(new VerdictRecord("lobby", count, "ana", "sad", -1, "unsafe", 0.99, ["hate"], "embedded", 0.9, start.AddDays(1)), ct);

        var key = new RedisKeys(backend.Options.Value.KeyPrefix).RecentVerdicts;
        Assert.Equal(IModerationStore.MaxRecentVerdicts, await backend.Database.SortedSetLengthAsync(key));
        var newest = Assert.Single(await store.ListRecentVerdictsAsync(1, ct));
        Assert.Equal(((long)count, "neutral", start.AddMilliseconds(count)), (newest.MessageId, newest.Mood, newest.At));
    }
}
