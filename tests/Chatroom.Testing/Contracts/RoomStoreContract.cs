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

    [Fact]
    public async Task VisibilityReadsBackAndRoomsArePublicUnlessSaid()
    {
        Assert.True(await Store.TryCreateAsync(new Room("open", null, "u", Created), CancellationToken.None));
        Assert.True(await Store.TryCreateAsync(new Room("club", "Members", "u", Created, Visibility: RoomVisibility.Private), CancellationToken.None));
        Assert.True(await Store.TryCreateAsync(new Room("dm-pair", null, "u", Created, Visibility: RoomVisibility.Direct), CancellationToken.None));

        Assert.Equal(RoomVisibility.Public, (await Store.GetAsync("open", CancellationToken.None))!.Visibility);
        Assert.Equal(RoomVisibility.Private, (await Store.GetAsync("club", CancellationToken.None))!.Visibility);
        Assert.Equal(RoomVisibility.Direct, (await Store.GetAsync("dm-pair", CancellationToken.None))!.Visibility);
        Assert.Equal(
            [RoomVisibility.Private, RoomVisibility.Direct, RoomVisibility.Public],
            (await Store.ListAsync(CancellationToken.None)).Select(r => r.Visibility));
    }

    [Fact]
    public async Task MembersAreAddedListedAndRemoved()
    {
        await Store.TryCreateAsync(new Room("club", null, "owner", Created, Visibility: RoomVisibility.Private), CancellationToken.None);
        var owner = new RoomMember("owner", MemberRoles.Owner, Created);
        var guest = new RoomMember("guest", MemberRoles.Member, Created.AddMinutes(1));
        Assert.True(await Store.SetMemberAsync("club", owner, CancellationToken.None));
        Assert.True(await Store.SetMemberAsync("club", guest, CancellationToken.None));

        Assert.Equal(owner, await Store.GetMemberAsync("club", "owner", CancellationToken.None));
        Assert.Equal([guest, owner], await Store.ListMembersAsync("club", CancellationToken.None));
        Assert.Null(await Store.GetMemberAsync("club", "stranger", CancellationToken.None));

        Assert.True(await Store.RemoveMemberAsync("club", "guest", CancellationToken.None));
        Assert.False(await Store.RemoveMemberAsync("club", "guest", CancellationToken.None));
        Assert.Null(await Store.GetMemberAsync("club", "guest", CancellationToken.None));
        Assert.Equal([owner], await Store.ListMembersAsync("club", CancellationToken.None));
    }

    [Fact]
    public async Task MembersOfUnknownRoomsAreNotStored()
    {
        Assert.False(await Store.SetMemberAsync("nowhere", new RoomMember("u", MemberRoles.Member, Created), CancellationToken.None));
        Assert.Null(await Store.GetMemberAsync("nowhere", "u", CancellationToken.None));
        Assert.Empty(await Store.ListMembersAsync("nowhere", CancellationToken.None));
        Assert.Empty(await Store.ListRoomsOfAsync("u", CancellationToken.None));
    }

    [Fact]
    public async Task ARoleChangeKeepsTheReadMarker()
    {
        await Store.TryCreateAsync(new Room("dm", null, "a", Created, Visibility: RoomVisibility.Direct), CancellationToken.None);
        await Store.SetMemberAsync("dm", new RoomMember("b", MemberRoles.Pending, Created), CancellationToken.None);
        await Store.MarkReadAsync("dm", "b", 4, CancellationToken.None);

        var accepted = Created.AddHours(1);
        Assert.True(await Store.SetMemberAsync("dm", new RoomMember("b", MemberRoles.Member, accepted), CancellationToken.None));
        Assert.Equal(new RoomMember("b", MemberRoles.Member, accepted, 4), await Store.GetMemberAsync("dm", "b", CancellationToken.None));
    }

    [Fact]
    public async Task ReadMarkersOnlyMoveForwardAndOnlyForMembers()
    {
        await Store.TryCreateAsync(new Room("club", null, "a", Created, Visibility: RoomVisibility.Private), CancellationToken.None);
        await Store.SetMemberAsync("club", new RoomMember("a", MemberRoles.Owner, Created), CancellationToken.None);

        await Store.MarkReadAsync("club", "a", 10, CancellationToken.None);
        await Store.MarkReadAsync("club", "a", 7, CancellationToken.None);
        Assert.Equal(10, (await Store.GetMemberAsync("club", "a", CancellationToken.None))!.LastReadId);
        Assert.Equal(10, Assert.Single(await Store.ListMembersAsync("club", CancellationToken.None)).LastReadId);

        await Store.MarkReadAsync("club", "outsider", 10, CancellationToken.None);
        Assert.Null(await Store.GetMemberAsync("club", "outsider", CancellationToken.None));

        await Store.RemoveMemberAsync("club", "a", CancellationToken.None);
        await Store.SetMemberAsync("club", new RoomMember("a", MemberRoles.Member, Created), CancellationToken.None);
        Assert.Equal(0, (await Store.GetMemberAsync("club", "a", CancellationToken.None))!.LastReadId);
    }

    [Fact]
    public async Task ListsTheRoomsOfAMemberUntilTheyLeaveOrTheRoomGoes()
    {
        foreach (var name in new[] { "zeta", "alpha", "mid" })
        {
            await Store.TryCreateAsync(new Room(name, null, "u", Created, Visibility: RoomVisibility.Private), CancellationToken.None);
            await Store.SetMemberAsync(name, new RoomMember("u", MemberRoles.Owner, Created), CancellationToken.None);
        }

        await Store.SetMemberAsync("mid", new RoomMember("other", MemberRoles.Member, Created), CancellationToken.None);
        Assert.Equal(["alpha", "mid", "zeta"], await Store.ListRoomsOfAsync("u", CancellationToken.None));
        Assert.Equal(["mid"], await Store.ListRoomsOfAsync("other", CancellationToken.None));

        await Store.RemoveMemberAsync("zeta", "u", CancellationToken.None);
        await Store.DeleteAsync("mid", CancellationToken.None);
        Assert.Equal(["alpha"], await Store.ListRoomsOfAsync("u", CancellationToken.None));
        Assert.Empty(await Store.ListRoomsOfAsync("other", CancellationToken.None));
        Assert.Empty(await Store.ListMembersAsync("mid", CancellationToken.None));
    }
}
