using Chatroom.Core.Queues;

namespace Chatroom.Testing.Contracts;

/// <summary>What every <see cref="IWorkQueue"/> must do, with a short claim timeout and two deliveries before dead-lettering.</summary>
public abstract class WorkQueueContract : IAsyncLifetime
{
    protected static readonly QueueOptions Options = new()
    {
        ClaimTimeout = TimeSpan.FromMilliseconds(300),
        MaxDeliveries = 2,
        MaxLength = 10_000,
    };

    protected IWorkQueue Queue { get; private set; } = null!;

    /// <summary>A queue name unique to this test.</summary>
    protected string Name { get; } = "q-" + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync() => Queue = await CreateQueueAsync(Options);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<IWorkQueue> CreateQueueAsync(QueueOptions options);

    [Fact]
    public async Task DeliversEachItemOnceUntilAcknowledged()
    {
        await Queue.EnqueueAsync(Name, new WorkItem("lobby", 1, "00-trace-01"), CancellationToken.None);
        await Queue.EnqueueAsync(Name, new WorkItem("lobby", 2, null), CancellationToken.None);
        Assert.Equal(2, await Queue.BacklogAsync(Name, CancellationToken.None));

        var batch = await Queue.ReadAsync(Name, "w1", 10, TimeSpan.Zero, CancellationToken.None);
        Assert.Equal([new WorkItem("lobby", 1, "00-trace-01"), new WorkItem("lobby", 2, null)], batch.Select(e => e.Item));
        Assert.All(batch, e => Assert.Equal(1, e.DeliveryCount));
        Assert.Empty(await Queue.ReadAsync(Name, "w2", 10, TimeSpan.Zero, CancellationToken.None));

        foreach (var entry in batch)
        {
            await Queue.AckAsync(Name, entry.Id, CancellationToken.None);
        }

        Assert.Equal(0, await Queue.BacklogAsync(Name, CancellationToken.None));
        await Task.Delay(Options.ClaimTimeout * 2);
        Assert.Empty(await Queue.ReadAsync(Name, "w2", 10, TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task OneEnqueueReachesEveryNamedQueueAndEachIsConsumedOnItsOwn()
    {
        string[] queues = [Name + "-a", Name + "-b"];
        await Queue.EnqueueAsync(queues, new WorkItem("lobby", 7, null), CancellationToken.None);
        await Queue.EnqueueAsync(queues, new WorkItem("lobby", 8, null), CancellationToken.None);

        var first = await Queue.ReadAsync(queues[0], "w", 10, TimeSpan.Zero, CancellationToken.None);
        Assert.Equal([7L, 8L], first.Select(e => e.Item.MessageId));
        await Queue.AckAsync(queues[0], first[0].Id, CancellationToken.None);
        await Queue.AckAsync(queues[0], first[1].Id, CancellationToken.None);

        Assert.Equal(0, await Queue.BacklogAsync(queues[0], CancellationToken.None));
        Assert.Equal(2, await Queue.BacklogAsync(queues[1], CancellationToken.None));
        Assert.Equal([7L, 8L], (await Queue.ReadAsync(queues[1], "w", 10, TimeSpan.Zero, CancellationToken.None)).Select(e => e.Item.MessageId));
    }

    [Fact]
    public async Task ReadsAtMostTheRequestedNumber()
    {
        for (var i = 0; i < 5; i++)
        {
            await Queue.EnqueueAsync(Name, new WorkItem("r", i, null), CancellationToken.None);
        }

        Assert.Equal(3, (await Queue.ReadAsync(Name, "w", 3, TimeSpan.Zero, CancellationToken.None)).Count);
        Assert.Equal(2, (await Queue.ReadAsync(Name, "w", 3, TimeSpan.Zero, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task AWaitingReadWakesUpForANewItem()
    {
        var read = Queue.ReadAsync(Name, "w", 1, TimeSpan.FromSeconds(5), CancellationToken.None).AsTask();
        await Task.Delay(200);
        var started = DateTime.UtcNow;
        await Queue.EnqueueAsync(Name, new WorkItem("r", 42, null), CancellationToken.None);
        var batch = await read.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(42, Assert.Single(batch).Item.MessageId);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task AnEmptyReadReturnsAfterTheWait()
    {
        var started = DateTime.UtcNow;
        Assert.Empty(await Queue.ReadAsync(Name, "w", 1, TimeSpan.FromMilliseconds(200), CancellationToken.None));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task UnacknowledgedItemsAreRedeliveredThenDeadLettered()
    {
        await Queue.EnqueueAsync(Name, new WorkItem("r", 7, null), CancellationToken.None);
        var first = Assert.Single(await Queue.ReadAsync(Name, "crashing", 1, TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(1, first.DeliveryCount);

        await Task.Delay(Options.ClaimTimeout + TimeSpan.FromMilliseconds(150));
        var second = Assert.Single(await Queue.ReadAsync(Name, "other", 1, TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(2, second.DeliveryCount);

        await Task.Delay(Options.ClaimTimeout + TimeSpan.FromMilliseconds(150));
        Assert.Empty(await Queue.ReadAsync(Name, "other", 1, TimeSpan.Zero, CancellationToken.None));
        var dead = Assert.Single(await Queue.DeadLettersAsync(Name, 10, CancellationToken.None));
        Assert.Equal(first.Id, dead.Id);
        Assert.Equal(7, dead.Item.MessageId);
        Assert.Equal(2, dead.DeliveryCount);
        Assert.Equal(0, await Queue.BacklogAsync(Name, CancellationToken.None));
    }

    [Fact]
    public async Task QueuesAreIndependent()
    {
        await Queue.EnqueueAsync(Name + "-a", new WorkItem("r", 1, null), CancellationToken.None);
        Assert.Empty(await Queue.ReadAsync(Name + "-b", "w", 10, TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(0, await Queue.BacklogAsync(Name + "-b", CancellationToken.None));
        Assert.Single(await Queue.ReadAsync(Name + "-a", "w", 10, TimeSpan.Zero, CancellationToken.None));
    }
}
