using Chatroom.Core.Errors;
using Chatroom.Core.Messages;
using Chatroom.Core.Rooms;

namespace Chatroom.Testing.Contracts;

/// <summary>What every <see cref="IMessageLog"/> must do. Each test gets a fresh log and room store sharing one backend.</summary>
public abstract class MessageLogContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_000);

    protected IRoomStore Rooms { get; private set; } = null!;

    protected IMessageLog Log { get; private set; } = null!;

    public async Task InitializeAsync() => (Rooms, Log) = await CreateAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A log and the room store it checks rooms against, sharing no data with any other test's.</summary>
    protected abstract Task<(IRoomStore Rooms, IMessageLog Log)> CreateAsync();

    [Fact]
    public async Task IdsStartAtOneAndGrowPerRoom()
    {
        await CreateRoomsAsync("one", "two");
        Assert.Equal(1, (await AppendAsync("one", "a")).Message.Id);
        Assert.Equal(2, (await AppendAsync("one", "b")).Message.Id);
        Assert.Equal(1, (await AppendAsync("two", "c")).Message.Id);
        Assert.Equal(3, (await AppendAsync("one", "d")).Message.Id);
    }

    [Fact]
    public async Task StoredMessagesKeepEveryField()
    {
        await CreateRoomsAsync("fields");
        var result = await Log.AppendAsync(new NewMessage("fields", "u-1", "Ann", MessageKind.Agent, "héllo ✓ {json}", "c-1"), Now, CancellationToken.None);
        var expected = new ChatMessage("fields", 1, "u-1", "Ann", MessageKind.Agent, "héllo ✓ {json}", Now, "c-1");
        Assert.False(result.Duplicate);
        Assert.Equal(expected, result.Message);
        Assert.Equal(expected, await Log.GetAsync("fields", 1, CancellationToken.None));
    }

    [Fact]
    public async Task AProgramsMessageKeepsItsHop_AndAPersonsIsZero()
    {
        await CreateRoomsAsync("hops");
        var answer = await Log.AppendAsync(new NewMessage("hops", "bot_1", "ci", MessageKind.Bot, "re: build", "k-1", Hop: 2), Now, CancellationToken.None);
        var person = await Log.AppendAsync(new NewMessage("hops", "u-1", "Ann", MessageKind.User, "thanks", null), Now, CancellationToken.None);
        Assert.Equal(2, answer.Message.Hop);
        Assert.Equal(2, (await Log.GetAsync("hops", answer.Message.Id, CancellationToken.None))!.Hop);
        Assert.Equal(0, (await Log.GetAsync("hops", person.Message.Id, CancellationToken.None))!.Hop);
        var again = await Log.AppendAsync(new NewMessage("hops", "bot_1", "ci", MessageKind.Bot, "re: build", "k-1", Hop: 2), Now, CancellationToken.None);
        Assert.Equal((true, 2), (again.Duplicate, again.Message.Hop));
    }

    [Fact]
    public async Task AppendingToAnUnknownRoomIsRefused()
    {
        var error = await Assert.ThrowsAsync<ChatException>(() => AppendAsync("ghost", "boo"));
        Assert.Equal(ErrorCodes.UnknownRoom, error.Code);
    }

    [Fact]
    public async Task ADuplicateClientIdReturnsTheFirstMessage()
    {
        await CreateRoomsAsync("dedup");
        var first = await AppendAsync("dedup", "first", author: "u1", clientId: "same");
        var again = await AppendAsync("dedup", "second", author: "u1", clientId: "same");
        var otherAuthor = await AppendAsync("dedup", "third", author: "u2", clientId: "same");
        var noId = await AppendAsync("dedup", "fourth", author: "u1", clientId: null);

        Assert.True(again.Duplicate);
        Assert.Equal(first.Message, again.Message);
        Assert.False(otherAuthor.Duplicate);
        Assert.Equal(2, otherAuthor.Message.Id);
        Assert.Equal(3, noId.Message.Id);
        Assert.Equal(3, (await Log.ReadAsync("dedup", new MessageQuery(null, null, 10), CancellationToken.None)).Count);
    }

    [Fact]
    public async Task PagesAreAscendingAndBoundedBothWays()
    {
        await CreateRoomsAsync("pages");
        for (var i = 1; i <= 10; i++)
        {
            await AppendAsync("pages", $"m{i}");
        }

        async Task<long[]> Ids(long? before, long? after, int limit) =>
            (await Log.ReadAsync("pages", new MessageQuery(before, after, limit), CancellationToken.None)).Select(m => m.Id).ToArray();

        Assert.Equal(new long[] { 8, 9, 10 }, await Ids(null, null, 3));
        Assert.Equal(new long[] { 4, 5, 6 }, await Ids(7, null, 3));
        Assert.Equal(new long[] { 5, 6, 7 }, await Ids(null, 4, 3));
        Assert.Equal(new long[] { 7, 8 }, await Ids(9, 4, 2));
        Assert.Equal(new long[] { 9, 10 }, await Ids(null, 8, 5));
        Assert.Empty(await Ids(null, 10, 5));
        Assert.Empty(await Ids(1, null, 5));
        Assert.Empty(await Log.ReadAsync("nowhere", new MessageQuery(null, null, 5), CancellationToken.None));
    }

    [Fact]
    public async Task MessagesCanBeHiddenAndShownAgain()
    {
        await CreateRoomsAsync("hide");
        await AppendAsync("hide", "a");
        await AppendAsync("hide", "b");
        Assert.True(await Log.SetHiddenAsync("hide", 2, hidden: true, CancellationToken.None));
        Assert.True((await Log.GetAsync("hide", 2, CancellationToken.None))!.Hidden);
        Assert.Equal([false, true], (await Log.ReadAsync("hide", new MessageQuery(null, null, 10), CancellationToken.None)).Select(m => m.Hidden));
        Assert.True(await Log.SetHiddenAsync("hide", 2, hidden: false, CancellationToken.None));
        Assert.False((await Log.GetAsync("hide", 2, CancellationToken.None))!.Hidden);
        Assert.False(await Log.SetHiddenAsync("hide", 99, hidden: true, CancellationToken.None));
        Assert.Null(await Log.GetAsync("hide", 99, CancellationToken.None));
    }

    [Fact]
    public async Task CountsMessagesAcrossRooms()
    {
        await CreateRoomsAsync("count-a", "count-b");
        await AppendAsync("count-a", "1");
        await AppendAsync("count-a", "2");
        await AppendAsync("count-b", "3");
        await AppendAsync("count-b", "3", clientId: "x");
        await AppendAsync("count-b", "3", clientId: "x");
        Assert.Equal(4, await Log.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task DeletingARoomDeletesItsMessages()
    {
        await CreateRoomsAsync("gone");
        await AppendAsync("gone", "a", clientId: "c");
        await Rooms.DeleteAsync("gone", CancellationToken.None);
        await CreateRoomsAsync("gone");
        Assert.Empty(await Log.ReadAsync("gone", new MessageQuery(null, null, 10), CancellationToken.None));
        var fresh = await AppendAsync("gone", "b", clientId: "c");
        Assert.False(fresh.Duplicate);
        Assert.Equal(1, fresh.Message.Id);
    }

    [Fact]
    public async Task ConcurrentAppendsGetDistinctConsecutiveIds()
    {
        await CreateRoomsAsync("busy");
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => AppendAsync("busy", $"m{i}")));
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), results.Select(r => r.Message.Id).Order());
    }

    protected async Task CreateRoomsAsync(params string[] names)
    {
        foreach (var name in names)
        {
            Assert.True(await Rooms.TryCreateAsync(new Room(name, null, "owner", Now), CancellationToken.None));
        }
    }

    protected Task<AppendResult> AppendAsync(string room, string text, string author = "u1", string? clientId = null) =>
        Log.AppendAsync(new NewMessage(room, author, author.ToUpperInvariant(), MessageKind.User, text, clientId), Now, CancellationToken.None);
}
