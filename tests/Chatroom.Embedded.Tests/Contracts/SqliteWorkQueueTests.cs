using Chatroom.Core.Queues;

namespace Chatroom.Embedded.Tests.Contracts;

/// <summary>What the embedded queue adds to the contract: entries outlive the process.</summary>
public sealed class SqliteWorkQueueTests : IDisposable
{
    private static readonly QueueOptions Options = new() { ClaimTimeout = TimeSpan.FromSeconds(30), MaxDeliveries = 3 };
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "chatroom-queue-" + Guid.NewGuid().ToString("N"));

    public SqliteWorkQueueTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task EntriesNotYetHandledSurviveARestart()
    {
        await using (var before = SqliteWorkQueueContract.Open(_folder, Options))
        {
            await before.EnqueueAsync("analysis", new WorkItem("lobby", 1, null), CancellationToken.None);
            await before.EnqueueAsync("analysis", new WorkItem("lobby", 2, null), CancellationToken.None);
            var first = await before.ReadAsync("analysis", "worker", 1, TimeSpan.Zero, CancellationToken.None);
            await before.AckAsync("analysis", first[0].Id, CancellationToken.None);
        }

        await using var after = SqliteWorkQueueContract.Open(_folder, Options);
        Assert.Equal(1, await after.BacklogAsync("analysis", CancellationToken.None));
        var entry = Assert.Single(await after.ReadAsync("analysis", "worker", 10, TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(new WorkItem("lobby", 2, null), entry.Item);
    }

    [Fact]
    public async Task AWaitingReaderWakesWhenAnEntryArrives()
    {
        await using var queue = SqliteWorkQueueContract.Open(_folder, Options);
        var read = queue.ReadAsync("agents", "worker", 10, TimeSpan.FromSeconds(10), CancellationToken.None).AsTask();
        await Task.Delay(100);
        Assert.False(read.IsCompleted);

        await queue.EnqueueAsync("agents", new WorkItem("lobby", 7, null), CancellationToken.None);
        var entries = await read.WaitAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(7, Assert.Single(entries).Item.MessageId);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
