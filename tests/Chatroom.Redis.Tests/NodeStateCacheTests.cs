using Chatroom.Redis.Agents;

namespace Chatroom.Redis.Tests;

/// <summary>
/// The node cache between two processes on one Redis (two multiplexers, each with its own cache), with a 10-minute TTL
/// so that only announcements can refresh what a node holds.
/// </summary>
public sealed class NodeStateCacheTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_000);

    [Fact]
    public async Task TopicWatchesAreListedFromMemoryUntilAWatchIsAddedOrRemovedOnAnyNode()
    {
        await using var ports = new RedisPorts(fixture.Server.ConnectionString);
        var (nodeA, nodeB) = (await ports.ConnectAsync(), await ports.ConnectAsync());
        nodeA.Options.Value.StateCacheTtl = nodeB.Options.Value.StateCacheTtl = TimeSpan.FromMinutes(10);
        var agentsWorker = new RedisTopicWatchStore(nodeB.Redis, nodeB.Options, ports.CacheFor(nodeB));
        var api = new RedisTopicWatchStore(nodeA.Redis, nodeA.Options, ports.CacheFor(nodeA));

        await api.AddAsync("lobby", "football", "admin", Now, CancellationToken.None);
        Assert.Equal(["football"], (await agentsWorker.ListAsync(CancellationToken.None)).Select(w => w.Topic));

        // A watch written behind the stores' back is not announced: the worker keeps listing what it read.
        await nodeA.Database.HashSetAsync(new RedisKeys(nodeA.Options.Value.KeyPrefix).TopicWatches, "lobby\nchess",
            """{"id":99,"room":"lobby","topic":"chess","createdBy":"admin","createdAt":"1750000000000"}""");
        Assert.Equal(["football"], (await agentsWorker.ListAsync(CancellationToken.None)).Select(w => w.Topic));

        // One added through a store is announced, and the worker's next lists read Redis again.
        await api.AddAsync("lobby", "tennis", "admin", Now, CancellationToken.None);
        await EventuallyListsAsync(agentsWorker, ["football", "tennis", "chess"]);
        await api.RemoveAsync("lobby", "football", CancellationToken.None);
        await EventuallyListsAsync(agentsWorker, ["tennis", "chess"]);

        // The writing node never serves its own old list.
        Assert.Equal(["tennis", "chess"], (await api.ListAsync(CancellationToken.None)).Select(w => w.Topic));
    }

    /// <summary>The announcement travels through Redis pub/sub to the other multiplexer: waited for, with a generous deadline.</summary>
    private static async Task EventuallyListsAsync(RedisTopicWatchStore store, string[] topics)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var listed = (await store.ListAsync(CancellationToken.None)).Select(w => w.Topic).ToArray();
            if (listed.SequenceEqual(topics) || DateTime.UtcNow > deadline)
            {
                Assert.Equal(topics, listed);
                return;
            }

            await Task.Delay(20);
        }
    }
}
