using Chatroom.Core.Agents;

namespace Chatroom.Testing.Contracts;

/// <summary>What every <see cref="ITopicWatchStore"/> must do. Each test gets a fresh, empty store.</summary>
public abstract class TopicWatchStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_123);

    protected ITopicWatchStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<ITopicWatchStore> CreateStoreAsync();

    [Fact]
    public async Task AWatchIsAddedOncePerRoomAndTopic()
    {
        var first = await Store.AddAsync("lobby", "release date", "u1", Now, CancellationToken.None);
        Assert.Equal(new TopicWatch(first.Id, "lobby", "release date", "u1", Now), first);

        var again = await Store.AddAsync("lobby", "release date", "u2", Now.AddMinutes(1), CancellationToken.None);
        Assert.Equal(first, again);

        var other = await Store.AddAsync("dev", "release date", "u2", Now, CancellationToken.None);
        Assert.True(other.Id > first.Id);
        Assert.Equal([first, other], await Store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task RemovingAWatchForgetsOnlyIt()
    {
        Assert.Empty(await Store.ListAsync(CancellationToken.None));
        var keep = await Store.AddAsync("lobby", "a", "u1", Now, CancellationToken.None);
        await Store.AddAsync("lobby", "b", "u1", Now, CancellationToken.None);
        Assert.True(await Store.RemoveAsync("lobby", "b", CancellationToken.None));
        Assert.False(await Store.RemoveAsync("lobby", "b", CancellationToken.None));
        Assert.False(await Store.RemoveAsync("elsewhere", "a", CancellationToken.None));
        Assert.Equal([keep], await Store.ListAsync(CancellationToken.None));

        var back = await Store.AddAsync("lobby", "b", "u3", Now, CancellationToken.None);
        Assert.Equal("u3", back.CreatedBy);
    }
}
