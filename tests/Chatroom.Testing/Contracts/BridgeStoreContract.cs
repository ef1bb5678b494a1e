using Chatroom.Core.Bridges;

namespace Chatroom.Testing.Contracts;

/// <summary>What every <see cref="IBridgeStore"/> must do. Each test gets a fresh, empty store.</summary>
public abstract class BridgeStoreContract : IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    protected IBridgeStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<IBridgeStore> CreateStoreAsync();

    [Fact]
    public async Task ALeaseHasOneHolder_WhoRenewsIt_AndOnlyTheHolderReleasesIt()
    {
        Assert.Null(await Store.GetHolderAsync("matrix", CancellationToken.None));
        Assert.True(await Store.TryHoldAsync("matrix", "node-a", Long, CancellationToken.None));
        Assert.False(await Store.TryHoldAsync("matrix", "node-b", Long, CancellationToken.None));
        Assert.True(await Store.TryHoldAsync("matrix", "node-a", Long, CancellationToken.None));
        Assert.Equal("node-a", await Store.GetHolderAsync("matrix", CancellationToken.None));

        // Another bridge's lease is its own.
        Assert.True(await Store.TryHoldAsync("irc", "node-b", Long, CancellationToken.None));

        await Store.ReleaseAsync("matrix", "node-b", CancellationToken.None);
        Assert.Equal("node-a", await Store.GetHolderAsync("matrix", CancellationToken.None));
        await Store.ReleaseAsync("matrix", "node-a", CancellationToken.None);
        Assert.Null(await Store.GetHolderAsync("matrix", CancellationToken.None));
        Assert.True(await Store.TryHoldAsync("matrix", "node-b", Long, CancellationToken.None));
        Assert.Equal("node-b", await Store.GetHolderAsync("matrix", CancellationToken.None));
    }

    [Fact]
    public async Task ALeaseItsHolderStopsRenewing_RunsOut_AndAnotherNodeTakesItOver()
    {
        Assert.True(await Store.TryHoldAsync("matrix", "node-a", TimeSpan.FromMilliseconds(300), CancellationToken.None));

        // node-a died: node-b keeps trying, as a standby node does, until the lease has run out.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await Store.TryHoldAsync("matrix", "node-b", Long, CancellationToken.None))
        {
            Assert.True(DateTime.UtcNow < deadline, "node-b never took the lease over");
            await Task.Delay(50);
        }

        Assert.Equal("node-b", await Store.GetHolderAsync("matrix", CancellationToken.None));

        // node-a coming back cannot renew what is no longer its lease, nor release it.
        Assert.False(await Store.TryHoldAsync("matrix", "node-a", Long, CancellationToken.None));
        await Store.ReleaseAsync("matrix", "node-a", CancellationToken.None);
        Assert.Equal("node-b", await Store.GetHolderAsync("matrix", CancellationToken.None));
    }

    [Fact]
    public async Task StatusesAreReplaced_AndListedByName()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_123);
        var irc = new BridgeStatus("irc", "wss://irc.example/ws", BridgeStates.Backoff, "node-b", null, "connection refused", at, 0, 0, 0, at);
        var matrix = new BridgeStatus("matrix", "wss://m.example/ws", BridgeStates.Connecting, "node-a", null, null, null, 0, 0, 0, at);
        await Store.SaveStatusAsync(matrix, CancellationToken.None);
        await Store.SaveStatusAsync(irc, CancellationToken.None);
        var connected = matrix with { State = BridgeStates.Connected, ConnectedSince = at.AddSeconds(1), MessagesIn = 3, MessagesOut = 5, Dropped = 1 };
        await Store.SaveStatusAsync(connected, CancellationToken.None);

        var listed = await Store.ListStatusesAsync(CancellationToken.None);

        Assert.Equal(["irc", "matrix"], listed.Select(s => s.Name));
        Assert.Equal(irc, listed[0]);
        Assert.Equal(connected, listed[1]);
    }

    [Fact]
    public async Task CursorsMoveForwardOnly_PerBridgeAndRoom()
    {
        Assert.Null(await Store.GetCursorAsync("matrix", "lobby", CancellationToken.None));
        await Store.AdvanceCursorAsync("matrix", "lobby", 7, CancellationToken.None);
        await Store.AdvanceCursorAsync("matrix", "lobby", 5, CancellationToken.None);
        await Store.AdvanceCursorAsync("matrix", "ops", 2, CancellationToken.None);
        await Store.AdvanceCursorAsync("irc", "lobby", 1, CancellationToken.None);
        await Store.AdvanceCursorAsync("matrix", "lobby", 9, CancellationToken.None);

        Assert.Equal(9, await Store.GetCursorAsync("matrix", "lobby", CancellationToken.None));
        Assert.Equal(2, await Store.GetCursorAsync("matrix", "ops", CancellationToken.None));
        Assert.Equal(1, await Store.GetCursorAsync("irc", "lobby", CancellationToken.None));
    }
}
