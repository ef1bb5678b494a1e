using Chatroom.Core.Contacts;

namespace Chatroom.Testing.Contracts;

/// <summary>What every <see cref="IBlockStore"/> must do. Each test gets a fresh, empty store.</summary>
public abstract class BlockStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_000);

    protected IBlockStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<IBlockStore> CreateStoreAsync();

    [Fact]
    public async Task ABlockHoldsOneWayUntilLifted()
    {
        Assert.True(await Store.BlockAsync("ana", "bo", At, CancellationToken.None));
        Assert.False(await Store.BlockAsync("ana", "bo", At.AddMinutes(1), CancellationToken.None));

        Assert.True(await Store.IsBlockedAsync("ana", "bo", CancellationToken.None));
        Assert.False(await Store.IsBlockedAsync("bo", "ana", CancellationToken.None));

        Assert.True(await Store.UnblockAsync("ana", "bo", CancellationToken.None));
        Assert.False(await Store.UnblockAsync("ana", "bo", CancellationToken.None));
        Assert.False(await Store.IsBlockedAsync("ana", "bo", CancellationToken.None));
    }

    [Fact]
    public async Task ListsWhomAPersonBlocksInOrder()
    {
        foreach (var blocked in new[] { "zed", "amy", "mo" })
        {
            await Store.BlockAsync("ana", blocked, At, CancellationToken.None);
        }

        await Store.BlockAsync("other", "amy", At, CancellationToken.None);
        Assert.Equal(["amy", "mo", "zed"], await Store.ListAsync("ana", CancellationToken.None));
        Assert.Empty(await Store.ListAsync("nobody", CancellationToken.None));
    }
}
