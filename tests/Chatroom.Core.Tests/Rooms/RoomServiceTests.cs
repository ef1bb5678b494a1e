using Chatroom.Core.Errors;
using Chatroom.Core.Tests.Chat;

namespace Chatroom.Core.Tests.Rooms;

/// <summary>Creating a room: the rules a person (REST) and an agent (create_room) both meet, with the codes and sentences they read.</summary>
public sealed class RoomServiceTests : IAsyncLifetime
{
    private const string TopicRule = "topics are at most 10 characters on one line";
    private readonly EmbeddedChat _chat = new(o => (o.MaxTopicLength, o.MaxRooms) = (10, 3));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _chat.DisposeAsync();

    [Fact]
    public async Task ARoomIsStoredWithItsTrimmedTopicCreatorAndTime()
    {
        var room = await _chat.Rooms.CreateAsync("book-club", "  novels  ", "ana", CancellationToken.None);

        var stored = await _chat.RoomStore.GetAsync("book-club", CancellationToken.None);
        Assert.Equal(room, stored);
        Assert.Equal(("novels", "ana", _chat.Time.GetUtcNow()), (stored!.Topic, stored.CreatedBy, stored.CreatedAt));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task ABlankTopicIsNoTopic(string? topic) =>
        Assert.Null((await _chat.Rooms.CreateAsync("quiet", topic, "ana", CancellationToken.None)).Topic);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Book-Club")]
    [InlineData("book club")]
    [InlineData("no_underscores")]
    [InlineData("ünïcode")]
    [InlineData("01234567890123456789012345678901234567890123456789012345678901234")]
    public async Task AnInvalidNameIsRefused(string? name)
    {
        var refusal = await Assert.ThrowsAsync<ChatException>(() => _chat.Rooms.CreateAsync(name, null, "ana", CancellationToken.None));
        Assert.Equal((ErrorCodes.InvalidRoomName, "room names are 1-64 characters of lower-case letters, digits and '-'"), (refusal.Code, refusal.Message));
        Assert.Empty(await _chat.RoomStore.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TheTopicLimitCountsCharactersNotUtf16Units()
    {
        // Ten emoji are twenty UTF-16 units and ten characters: exactly the limit.
        var tenEmoji = string.Concat(Enumerable.Repeat("🎲", 10));
        Assert.Equal(tenEmoji, (await _chat.Rooms.CreateAsync("games", tenEmoji, "ana", CancellationToken.None)).Topic);

        await AssertRefusedAsync("more-games", tenEmoji + "🎲", ErrorCodes.InvalidTopic, TopicRule);
        await AssertRefusedAsync("longer", "eleven char", ErrorCodes.InvalidTopic, TopicRule);
    }

    [Theory]
    [InlineData("two\nlines")]
    [InlineData("tab\there")]
    [InlineData("bell\a")]
    public async Task ATopicWithAControlCharacterIsRefused(string topic) =>
        await AssertRefusedAsync("controls", topic, ErrorCodes.InvalidTopic, TopicRule);

    [Fact]
    public async Task ANameTakenAlreadyIsRefused_AndTheFirstRoomIsKept()
    {
        await _chat.Rooms.CreateAsync("taken", "first", "ana", CancellationToken.None);

        await AssertRefusedAsync("taken", "second", ErrorCodes.RoomExists, "there is already a room 'taken'");
        Assert.Equal("first", (await _chat.RoomStore.GetAsync("taken", CancellationToken.None))!.Topic);
    }

    [Fact]
    public async Task TheDeploymentHoldsAtMostMaxRooms()
    {
        foreach (var name in new[] { "one", "two", "three" })
        {
            await _chat.Rooms.CreateAsync(name, null, "ana", CancellationToken.None);
        }

        await AssertRefusedAsync("four", null, ErrorCodes.TooManyRooms, "this deployment holds at most 3 rooms");
        Assert.Equal(3, (await _chat.RoomStore.ListAsync(CancellationToken.None)).Count);

        await _chat.RoomStore.DeleteAsync("two", CancellationToken.None);
        await _chat.Rooms.CreateAsync("four", null, "ana", CancellationToken.None);
    }

    private async Task AssertRefusedAsync(string name, string? topic, string code, string sentence)
    {
        var refusal = await Assert.ThrowsAsync<ChatException>(() => _chat.Rooms.CreateAsync(name, topic, "ana", CancellationToken.None));
        Assert.Equal((code, sentence), (refusal.Code, refusal.Message));
    }
}
