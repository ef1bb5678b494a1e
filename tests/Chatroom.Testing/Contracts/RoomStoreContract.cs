using Chatroom.Core.Rooms;

namespace Chatroom.Testing.Contracts;

/// <summary>What every <see cref="IRoomStore"/> must do. Each test gets a fresh, empty store.</summary>
public abstract class RoomStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_123);

    protected IRoomStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A store that shares no data with any other test's.</summary>
    protected abstract Task<IRoomStore> CreateStoreAsync();

    [Fact]
    public async Task CreatedRoomsReadBackWithEveryField()
    {
        var room = new Room("general", "All things", "user-1", Created, SlowModeSeconds: 5, Locked: true);
        Assert.True(await Store.TryCreateAsync(room, CancellationToken.None));
        Assert.Equal(room, await Store.GetAsync("general", CancellationToken.None));

        var plain = new Room("plain", null, "user-2", Created);
        Assert.True(await Store.TryCreateAsync(plain, CancellationToken.None));
        Assert.Equal(plain, await Store.GetAsync("plain", CancellationToken.None));
    }

    [Fact]
    public async Task RefusesASecondRoomOfTheSameName()
    {
        Assert.True(await Store.TryCreateAsync(new Room("dup", "first", "u1", Created), CancellationToken.None));
        Assert.False(await Store.TryCreateAsync(new Room("dup", "second", "u2", Created), CancellationToken.None));
        Assert.Equal("first", (await Store.GetAsync("dup", CancellationToken.None))!.Topic);
    }

    [Fact]
    public async Task UnknownRoomsAreNull()
    {
        Assert.Null(await Store.GetAsync("nowhere", CancellationToken.None));
    }

    [Fact]
    public async Task ListsRoomsOrderedByName()
    {
        foreach (var name in new[] { "charlie", "alpha", "bravo-2", "bravo" })
        {
            await Store.TryCreateAsync(new Room(name, null, "u", Created), CancellationToken.None);
        }

        var rooms = await Store.ListAsync(CancellationToken.None);
        Assert.Equal(["alpha", "bravo", "bravo-2", "charlie"], rooms.Select(r => r.Name));
    }

    [Fact]
    public async Task UpdatesSettingsOfExistingRoomsOnly()
    {
        await Store.TryCreateAsync(new Room("settings", "t", "u", Created), CancellationToken.None);
        Assert.True(await Store.UpdateSettingsAsync("settings", 30, locked: true, CancellationToken.None));
        var room = await Store.GetAsync("settings", CancellationToken.None);
        Assert.Equal(30, room!.SlowModeSeconds);
        Assert.True(room.Locked);
        Assert.Equal("t", room.Topic);
        Assert.False(await Store.UpdateSettingsAsync("missing", 1, locked: false, CancellationToken.None));
        Assert.Null(await Store.GetAsync("missing", CancellationToken.None));
    }

    [Fact]
    public async Task DeletesRoomsOnce()
    {
        await Store.TryCreateAsync(new Room("doomed", null, "u", Created), CancellationToken.None);
        Assert.True(await Store.DeleteAsync("doomed", CancellationToken.None));
        Assert.False(await Store.DeleteAsync("doomed", CancellationToken.None));
        Assert.Null(await Store.GetAsync("doomed", CancellationToken.None));
        Assert.DoesNotContain(await Store.ListAsync(CancellationToken.None), r => r.Name == "doomed");
    }

    [Fact]
    public async Task BansHoldUntilTheyExpireOrAreLifted()
    {
        await Store.TryCreateAsync(new Room("strict", null, "u", Created), CancellationToken.None);
        var now = Created.AddDays(1);
        await Store.BanAsync("strict", "forever", until: null, CancellationToken.None);
        await Store.BanAsync("strict", "briefly", now.AddMinutes(5), CancellationToken.None);

        Assert.True(await Store.IsBannedAsync("strict", "forever", now.AddYears(10), CancellationToken.None));
        Assert.True(await Store.IsBannedAsync("strict", "briefly", now, CancellationToken.None));
        Assert.False(await Store.IsBannedAsync("strict", "briefly", now.AddMinutes(6), CancellationToken.None));
        Assert.False(await Store.IsBannedAsync("strict", "nobody", now, CancellationToken.None));

        await Store.BanAsync("strict", "briefly", until: null, CancellationToken.None);
        Assert.True(await Store.IsBannedAsync("strict", "briefly", now.AddMinutes(6), CancellationToken.None));

        await Store.UnbanAsync("strict", "forever", CancellationToken.None);
        Assert.False(await Store.IsBannedAsync("strict", "forever", now, CancellationToken.None));
    }
}
