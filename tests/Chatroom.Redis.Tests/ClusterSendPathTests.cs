namespace Chatroom.Redis.Tests;

/// <summary>The same send on a 3-master cluster: the script publishes on the room's shard, the queues are written beside it.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class ClusterSendPathTests(RedisClusterFixture fixture)
{
    [Fact]
    public async Task ASendIsStoredNumberedPublishedAndQueuedForBothWorkers()
    {
        await using var backend = await (await TestBackend.ConnectAsync(fixture.Cluster.ConnectionString)).ConnectedAsync();
        await using var rig = new SendPathRig(backend);
        await SendPathChecks.StoresPublishesAndQueuesAsync(rig);
    }
}
