using Chatroom.Core.Queues;
using Chatroom.Redis.Queues;
using Microsoft.Extensions.Options;

namespace Chatroom.Redis.Tests;

/// <summary>
/// A consumer that reads entries and dies (its connections drop) before acknowledging: another consumer, on
/// another connection, gets them after the claim timeout, and acknowledging them there empties the queue.
/// </summary>
public sealed class CrashedConsumerTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    // Long enough that a loaded machine cannot reach the "not yet" check after the claim timeout has passed.
    private static readonly QueueOptions Queues = new() { ClaimTimeout = TimeSpan.FromSeconds(2), MaxDeliveries = 5 };

    [Fact]
    public async Task EntriesOfAConsumerThatDiedAreProcessedByAnotherAfterTheClaimTimeout()
    {
        var options = Options.Create(new RedisBackendOptions { KeyPrefix = "crash" + Guid.NewGuid().ToString("N")[..8] });
        const string Queue = "analysis";
        await using var survivorClient = await RedisConnectionConfiguration.ConnectAsync(redis.Server.ConnectionString);
        var survivor = new RedisWorkQueue(survivorClient, Options.Create(Queues), options);

        await using (var doomedClient = await RedisConnectionConfiguration.ConnectAsync(redis.Server.ConnectionString))
        {
            var doomed = new RedisWorkQueue(doomedClient, Options.Create(Queues), options);
            for (var i = 1; i <= 3; i++)
            {
                await doomed.EnqueueAsync(Queue, new WorkItem("lobby", i, null), CancellationToken.None);
            }

            Assert.Equal(3, (await doomed.ReadAsync(Queue, "doomed", 10, TimeSpan.Zero, CancellationToken.None)).Count);
        }

        // Before the claim timeout nothing is redelivered: the dead consumer might still be working.
        Assert.Empty(await survivor.ReadAsync(Queue, "survivor", 10, TimeSpan.Zero, CancellationToken.None));

        var started = DateTime.UtcNow;
        var recovered = new List<QueueEntry>();
        while (recovered.Count < 3 && DateTime.UtcNow - started < TimeSpan.FromSeconds(10))
        {
            recovered.AddRange(await survivor.ReadAsync(Queue, "survivor", 10, TimeSpan.FromMilliseconds(200), CancellationToken.None));
        }

        Assert.Equal([1L, 2L, 3L], recovered.Select(e => e.Item.MessageId).Order());
        Assert.All(recovered, e => Assert.Equal(2, e.DeliveryCount));
        foreach (var entry in recovered)
        {
            await survivor.AckAsync(Queue, entry.Id, CancellationToken.None);
        }

        Assert.Equal(0, await survivor.BacklogAsync(Queue, CancellationToken.None));
        await Task.Delay(Queues.ClaimTimeout + TimeSpan.FromMilliseconds(500));
        Assert.Empty(await survivor.ReadAsync(Queue, "survivor", 10, TimeSpan.Zero, CancellationToken.None));
        Assert.Empty(await survivor.DeadLettersAsync(Queue, 10, CancellationToken.None));
    }
}
