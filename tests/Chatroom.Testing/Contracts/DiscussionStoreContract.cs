using Chatroom.Core.Agents;

namespace Chatroom.Testing.Contracts;

/// <summary>What every <see cref="IDiscussionStore"/> must do. Each test gets a fresh, empty store.</summary>
public abstract class DiscussionStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_123);

    protected IDiscussionStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<IDiscussionStore> CreateStoreAsync();

    private static DiscussionState New(string room = "lobby") => new(room, ["assistant", "concierge"], "cats or dogs?", 6, "ana", Now);

    [Fact]
    public async Task ARoomHasOneDiscussion_ThatReadsBackAsStored()
    {
        Assert.True(await Store.TryStartAsync(New(), CancellationToken.None));
        Assert.False(await Store.TryStartAsync(New() with { Topic = "another" }, CancellationToken.None));
        Assert.True(await Store.TryStartAsync(New("dev"), CancellationToken.None));

        var stored = await Store.GetAsync("lobby", CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(["assistant", "concierge"], stored.Agents);
        Assert.Equal(("cats or dogs?", 6, "ana", Now, 0, 0L, (string?)null), (stored.Topic, stored.Turns, stored.StartedBy, stored.StartedAt, stored.TurnsTaken, stored.LastMessageId, stored.Owner));
        Assert.Equal(["dev", "lobby"], (await Store.ListAsync(CancellationToken.None)).Select(d => d.Room));
        Assert.Null(await Store.GetAsync("nowhere", CancellationToken.None));
    }

    [Fact]
    public async Task OneNodeHoldsADiscussionUntilItsLeaseLapses()
    {
        await Store.TryStartAsync(New(), CancellationToken.None);

        var a = await Store.TryClaimAsync("lobby", "node-a", Now, Now.AddSeconds(15), CancellationToken.None);
        Assert.Equal(("node-a", Now.AddSeconds(15)), (a?.Owner, a?.LeaseUntil));
        Assert.Null(await Store.TryClaimAsync("lobby", "node-b", Now.AddSeconds(5), Now.AddSeconds(20), CancellationToken.None));
        Assert.NotNull(await Store.TryClaimAsync("lobby", "node-a", Now.AddSeconds(5), Now.AddSeconds(20), CancellationToken.None));

        var b = await Store.TryClaimAsync("lobby", "node-b", Now.AddSeconds(21), Now.AddSeconds(36), CancellationToken.None);
        Assert.Equal("node-b", b?.Owner);
        Assert.Equal("node-b", (await Store.GetAsync("lobby", CancellationToken.None))?.Owner);
        Assert.Null(await Store.TryClaimAsync("nowhere", "node-a", Now, Now.AddSeconds(15), CancellationToken.None));
    }

    [Fact]
    public async Task OnlyTheHolderRecordsProgress_AndRemovingStopsIt()
    {
        await Store.TryStartAsync(New(), CancellationToken.None);
        await Store.TryClaimAsync("lobby", "node-a", Now, Now.AddSeconds(15), CancellationToken.None);

        Assert.True(await Store.UpdateAsync("lobby", "node-a", 2, 42, Now.AddSeconds(30), CancellationToken.None));
        Assert.False(await Store.UpdateAsync("lobby", "node-b", 3, 43, Now.AddSeconds(30), CancellationToken.None));
        var progressed = await Store.GetAsync("lobby", CancellationToken.None);
        Assert.Equal((2, 42L, "node-a", Now.AddSeconds(30)), (progressed!.TurnsTaken, progressed.LastMessageId, progressed.Owner, progressed.LeaseUntil));

        var removed = await Store.RemoveAsync("lobby", CancellationToken.None);
        Assert.Equal(2, removed?.TurnsTaken);
        Assert.Null(await Store.RemoveAsync("lobby", CancellationToken.None));
        Assert.False(await Store.UpdateAsync("lobby", "node-a", 3, 44, Now.AddSeconds(45), CancellationToken.None));
        Assert.True(await Store.TryStartAsync(New(), CancellationToken.None));
    }
}
