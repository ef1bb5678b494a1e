using Chatroom.Core.Rooms;

namespace Chatroom.Testing.Contracts;

/// <summary>What every <see cref="IRoomRulesStore"/> must do, with the room store of the same backend (deleting a room removes its rules).</summary>
public abstract class RoomRulesStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_765_000_000_123);

    protected IRoomStore Rooms { get; private set; } = null!;

    protected IRoomRulesStore Store { get; private set; } = null!;

    /// <summary>A room name unique to this test.</summary>
    private string Room { get; } = "rules-" + Guid.NewGuid().ToString("N")[..10];

    public async Task InitializeAsync()
    {
        (Rooms, Store) = await CreateAsync();
        await Rooms.TryCreateAsync(new Room(Room, null, "owner", Now), CancellationToken.None);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Both stores over one backend that shares no data with any other test's.</summary>
    protected abstract Task<(IRoomStore Rooms, IRoomRulesStore Rules)> CreateAsync();

    [Fact]
    public async Task RulesAreStoredReplacedAndCleared()
    {
        Assert.Null(await Store.GetAsync(Room, CancellationToken.None));

        var first = new RoomRules(Room, "# Be kind\n- No spoilers before Friday.", "mod-1", Now);
        await Store.SetAsync(first, CancellationToken.None);
        Assert.Equal(first, await Store.GetAsync(Room, CancellationToken.None));

        var second = new RoomRules(Room, "Only talk about **chess** here.", "mod-2", Now.AddMinutes(3));
        await Store.SetAsync(second, CancellationToken.None);
        Assert.Equal(second, await Store.GetAsync(Room, CancellationToken.None));

        Assert.True(await Store.ClearAsync(Room, CancellationToken.None));
        Assert.False(await Store.ClearAsync(Room, CancellationToken.None));
        Assert.Null(await Store.GetAsync(Room, CancellationToken.None));
    }

    [Fact]
    public async Task EachRoomHasItsOwnRules_AndTheLongestTextKeepsEveryCharacter()
    {
        var other = Room + "-b";
        await Rooms.TryCreateAsync(new Room(other, null, "owner", Now), CancellationToken.None);
        var longest = string.Concat(Enumerable.Repeat("Règle ✓ ", IRoomRulesStore.MaxLength / 8));
        await Store.SetAsync(new RoomRules(Room, longest, "mod-1", Now), CancellationToken.None);
        await Store.SetAsync(new RoomRules(other, "No links.", "mod-1", Now), CancellationToken.None);

        Assert.Equal(longest, (await Store.GetAsync(Room, CancellationToken.None))!.Text);
        Assert.Equal("No links.", (await Store.GetAsync(other, CancellationToken.None))!.Text);
    }

    [Fact]
    public async Task DeletingTheRoomRemovesItsRules_SoARoomMadeAgainStartsWithout()
    {
        await Store.SetAsync(new RoomRules(Room, "No links.", "mod-1", Now), CancellationToken.None);

        Assert.True(await Rooms.DeleteAsync(Room, CancellationToken.None));
        Assert.Null(await Store.GetAsync(Room, CancellationToken.None));

        Assert.True(await Rooms.TryCreateAsync(new Room(Room, null, "owner", Now), CancellationToken.None));
        Assert.Null(await Store.GetAsync(Room, CancellationToken.None));
    }
}
