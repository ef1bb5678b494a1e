using Chatroom.Core.Presence;

namespace Chatroom.Testing.Contracts;

/// <summary>What every <see cref="IPresenceStore"/> must do. Each test gets a fresh store.</summary>
public abstract class PresenceStoreContract : IAsyncLifetime
{
    protected IPresenceStore Presence { get; private set; } = null!;

    public async Task InitializeAsync() => Presence = await CreateStoreAsync(new PresenceOptions());

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A store sharing no data with any other test's.</summary>
    protected abstract Task<IPresenceStore> CreateStoreAsync(PresenceOptions options);

    [Fact]
    public async Task ResettingANodeRemovesItsEntriesFromAnEarlierRun()
    {
        var ct = CancellationToken.None;
        await Presence.ConnectAsync(Entry("old-1", "ann", "node-a"), ct);
        await Presence.JoinAsync("room", Entry("old-1", "ann", "node-a"), ct);
        await Presence.ConnectAsync(Entry("c2", "bob", "node-b"), ct);
        await Presence.JoinAsync("room", Entry("c2", "bob", "node-b"), ct);

        var departures = await Presence.ResetNodeAsync("node-a", ct);

        Assert.Equal([new PresenceDeparture("room", new PresentUser("ann", "Ann"))], departures);
        Assert.Equal([new PresentUser("bob", "Bob")], await Presence.ListAsync("room", ct));
        Assert.Equal(1, await Presence.CountUsersAsync(ct));
        Assert.Empty(await Presence.ResetNodeAsync("node-a", ct));
    }

    [Fact]
    public async Task JoiningReportsOnlyAUsersFirstConnection()
    {
        var ct = CancellationToken.None;
        Assert.True(await Presence.JoinAsync("room", Entry("c1", "ann", "node-a"), ct));
        Assert.False(await Presence.JoinAsync("room", Entry("c2", "ann", "node-b"), ct));
        Assert.False(await Presence.JoinAsync("room", Entry("c1", "ann", "node-a"), ct));
        Assert.True(await Presence.JoinAsync("room", Entry("c3", "bob", "node-a"), ct));
        Assert.Equal([new PresentUser("ann", "Ann"), new PresentUser("bob", "Bob")], await Presence.ListAsync("room", ct));
    }

    [Fact]
    public async Task LeavingReportsAUsersLastConnection()
    {
        var ct = CancellationToken.None;
        await Presence.JoinAsync("room", Entry("c1", "ann"), ct);
        await Presence.JoinAsync("room", Entry("c2", "ann"), ct);
        Assert.False(await Presence.LeaveAsync("room", "c1", ct));
        Assert.Single(await Presence.ListAsync("room", ct));
        Assert.True(await Presence.LeaveAsync("room", "c2", ct));
        Assert.Empty(await Presence.ListAsync("room", ct));
        Assert.False(await Presence.LeaveAsync("room", "c2", ct));
        Assert.False(await Presence.LeaveAsync("elsewhere", "c9", ct));
    }

    [Fact]
    public async Task DisconnectingReturnsTheRoomsLeftAltogether()
    {
        var ct = CancellationToken.None;
        await Presence.ConnectAsync(Entry("c1", "ann"), ct);
        await Presence.ConnectAsync(Entry("c2", "ann"), ct);
        await Presence.JoinAsync("solo", Entry("c1", "ann"), ct);
        await Presence.JoinAsync("shared", Entry("c1", "ann"), ct);
        await Presence.JoinAsync("shared", Entry("c2", "ann"), ct);

        Assert.Equal(["solo"], await Presence.DisconnectAsync("c1", ct));
        Assert.Empty(await Presence.ListAsync("solo", ct));
        Assert.Equal([new PresentUser("ann", "Ann")], await Presence.ListAsync("shared", ct));
        Assert.Equal(["shared"], await Presence.DisconnectAsync("c2", ct));
        Assert.Empty(await Presence.DisconnectAsync("c2", ct));
    }

    [Fact]
    public async Task CountsDistinctConnectedUsers()
    {
        var ct = CancellationToken.None;
        Assert.Equal(0, await Presence.CountUsersAsync(ct));
        await Presence.ConnectAsync(Entry("c1", "ann"), ct);
        await Presence.ConnectAsync(Entry("c2", "ann"), ct);
        await Presence.ConnectAsync(Entry("c3", "bob"), ct);
        Assert.Equal(2, await Presence.CountUsersAsync(ct));
        await Presence.DisconnectAsync("c1", ct);
        Assert.Equal(2, await Presence.CountUsersAsync(ct));
        await Presence.DisconnectAsync("c2", ct);
        Assert.Equal(1, await Presence.CountUsersAsync(ct));
    }

    [Fact]
    public async Task ListsUsersByNameIgnoringCase()
    {
        var ct = CancellationToken.None;
        await Presence.JoinAsync("room", new PresenceEntry("c1", "u1", "zed", "n"), ct);
        await Presence.JoinAsync("room", new PresenceEntry("c2", "u2", "Amy", "n"), ct);
        await Presence.JoinAsync("room", new PresenceEntry("c3", "u3", "bea", "n"), ct);
        Assert.Equal(["Amy", "bea", "zed"], (await Presence.ListAsync("room", ct)).Select(u => u.Name));
    }

    [Fact]
    public async Task ASweepKeepsTheUsersOfLiveNodes()
    {
        var ct = CancellationToken.None;
        await Presence.HeartbeatAsync("node-live", ct);
        await Presence.ConnectAsync(Entry("c1", "ann", "node-live"), ct);
        await Presence.JoinAsync("room", Entry("c1", "ann", "node-live"), ct);
        Assert.Empty(await Presence.SweepAsync(ct));
        Assert.Single(await Presence.ListAsync("room", ct));
        Assert.Equal(1, await Presence.CountUsersAsync(ct));
    }

    protected static PresenceEntry Entry(string connection, string user, string node = "node-a") =>
        new(connection, user, char.ToUpperInvariant(user[0]) + user[1..], node);
}
