using Chatroom.Testing.Hosting;

namespace Chatroom.EndToEnd.Tests;

/// <summary>Chat through the real hub over real WebSockets on the standalone host.</summary>
public sealed class ChatTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private StandaloneHost _host = null!;

    public async Task InitializeAsync() => _host = await StandaloneHost.StartAsync(_data.Path);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task TwoUsersInARoomSeeEachOthersMessages()
    {
        await using var alice = await _host.Api.ConnectAsync("alice");
        await using var bob = await _host.Api.ConnectAsync("bob");
        await alice.InvokeAsync("JoinRoom", "lobby", null);
        await bob.InvokeAsync("JoinRoom", "lobby", null);

        var ack = await alice.InvokeAsync("SendMessage", "lobby", "hello bob", "c-1");
        var id = ack.GetProperty("id").GetInt64();

        var received = await bob.WaitForEventAsync("message", m => m.GetProperty("id").GetInt64() == id);
        Assert.Equal("hello bob", received.GetProperty("text").GetString());
        Assert.Equal("alice", received.GetProperty("authorName").GetString());
        Assert.Equal("user", received.GetProperty("kind").GetString());
        Assert.False(ack.GetProperty("duplicate").GetBoolean());

        var reply = await bob.InvokeAsync("SendMessage", "lobby", "hi alice", "c-2");
        Assert.Equal(id + 1, reply.GetProperty("id").GetInt64());
        var back = await alice.WaitForEventAsync("message", m => m.GetProperty("id").GetInt64() == id + 1);
        Assert.Equal("hi alice", back.GetProperty("text").GetString());
    }

    [Fact]
    public async Task JoinRoomReturnsRecentHistoryAndWhoIsPresent()
    {
        var token = await _host.Api.GuestTokenAsync("carol");
        await _host.Api.CreateRoomAsync(token, "history-room");
        await using var carol = await _host.Api.ConnectWithTokenAsync(token);
        await carol.InvokeAsync("JoinRoom", "history-room", null);
        await carol.InvokeAsync("SendMessage", "history-room", "first", "h-1");
        await carol.InvokeAsync("SendMessage", "history-room", "second", "h-2");

        await using var dave = await _host.Api.ConnectAsync("dave");
        var joined = await dave.InvokeAsync("JoinRoom", "history-room", null);

        Assert.Equal(["first", "second"], joined.GetProperty("history").EnumerateArray().Select(m => m.GetProperty("text").GetString()));
        Assert.Empty(joined.GetProperty("missed").EnumerateArray());
        var present = joined.GetProperty("present").EnumerateArray().Select(u => u.GetProperty("name").GetString()).ToList();
        Assert.Equal(["carol", "dave"], present);
    }

    [Fact]
    public async Task PresenceAndTypingReachOthersInTheRoom()
    {
        await using var alice = await _host.Api.ConnectAsync("alice");
        await alice.InvokeAsync("JoinRoom", "lobby", null);
        await using var bob = await _host.Api.ConnectAsync("bob");
        await bob.InvokeAsync("JoinRoom", "lobby", null);

        var joined = await alice.WaitForEventAsync("presence", p => p.GetProperty("user").GetProperty("name").GetString() == "bob");
        Assert.Equal("joined", joined.GetProperty("action").GetString());
        Assert.Equal(2, joined.GetProperty("count").GetInt32());

        await bob.InvokeAsync("Typing", "lobby");
        var typing = await alice.WaitForEventAsync("typing");
        Assert.Equal("bob", typing.GetProperty("user").GetProperty("name").GetString());

        await bob.InvokeAsync("LeaveRoom", "lobby");
        var left = await alice.WaitForEventAsync("presence", p => p.GetProperty("action").GetString() == "left");
        Assert.Equal("bob", left.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal(1, left.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task ADroppedConnectionLeavesTheRoom()
    {
        await using var alice = await _host.Api.ConnectAsync("alice");
        await alice.InvokeAsync("JoinRoom", "lobby", null);
        var bob = await _host.Api.ConnectAsync("bob");
        await bob.InvokeAsync("JoinRoom", "lobby", null);

        bob.Abort();
        await bob.DisposeAsync();

        var left = await alice.WaitForEventAsync("presence", p => p.GetProperty("action").GetString() == "left");
        Assert.Equal("bob", left.GetProperty("user").GetProperty("name").GetString());
    }

    [Fact]
    public async Task ReconnectingWithLastSeenIdReceivesExactlyTheMissedMessages()
    {
        await using var alice = await _host.Api.ConnectAsync("alice");
        await alice.InvokeAsync("JoinRoom", "lobby", null);
        var bobToken = await _host.Api.GuestTokenAsync("bob");
        var bob = await _host.Api.ConnectWithTokenAsync(bobToken);
        await bob.InvokeAsync("JoinRoom", "lobby", null);
        var seen = (await alice.InvokeAsync("SendMessage", "lobby", "before the drop", "r-0")).GetProperty("id").GetInt64();
        await bob.WaitForEventAsync("message", m => m.GetProperty("id").GetInt64() == seen);

        bob.Abort();
        await bob.DisposeAsync();
        var sent = new List<long>();
        for (var i = 1; i <= 3; i++)
        {
            sent.Add((await alice.InvokeAsync("SendMessage", "lobby", $"missed {i}", $"r-{i}")).GetProperty("id").GetInt64());
        }

        await using var again = await _host.Api.ConnectWithTokenAsync(bobToken);
        var joined = await again.InvokeAsync("JoinRoom", "lobby", seen);

        var missed = joined.GetProperty("missed").EnumerateArray().ToList();
        Assert.Equal(sent, missed.Select(m => m.GetProperty("id").GetInt64()));
        Assert.Equal(["missed 1", "missed 2", "missed 3"], missed.Select(m => m.GetProperty("text").GetString()));
        Assert.False(joined.GetProperty("missedTruncated").GetBoolean());
    }

    [Fact]
    public async Task ARetriedClientMessageIdIsStoredOnce()
    {
        var token = await _host.Api.GuestTokenAsync("erin");
        await _host.Api.CreateRoomAsync(token, "retry-room");
        await using var erin = await _host.Api.ConnectWithTokenAsync(token);
        await erin.InvokeAsync("JoinRoom", "retry-room", null);

        var first = await erin.InvokeAsync("SendMessage", "retry-room", "only once", "same-id");
        var second = await erin.InvokeAsync("SendMessage", "retry-room", "only once", "same-id");

        Assert.Equal(first.GetProperty("id").GetInt64(), second.GetProperty("id").GetInt64());
        Assert.False(first.GetProperty("duplicate").GetBoolean());
        Assert.True(second.GetProperty("duplicate").GetBoolean());
        var page = await _host.Api.GetJsonAsync("/api/rooms/retry-room/messages", token);
        Assert.Single(page["messages"]!.AsArray());
    }

    [Fact]
    public async Task ARetriedSendIsAnnouncedAgainSoNoLiveClientMissesIt()
    {
        await using var alice = await _host.Api.ConnectAsync("alice");
        await using var bob = await _host.Api.ConnectAsync("bob");
        await alice.InvokeAsync("JoinRoom", "lobby", null);
        await bob.InvokeAsync("JoinRoom", "lobby", null);

        var id = (await alice.InvokeAsync("SendMessage", "lobby", "said twice", "retry-1")).GetProperty("id").GetInt64();
        await bob.WaitForEventAsync("message", m => m.GetProperty("id").GetInt64() == id);
        await alice.InvokeAsync("SendMessage", "lobby", "said twice", "retry-1");

        // The same id both times: clients merge by id, and the log holds it once.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (bob.EventsOf("message").Count(m => m.GetProperty("id").GetInt64() == id) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(2, bob.EventsOf("message").Count(m => m.GetProperty("id").GetInt64() == id));
    }

    [Fact]
    public async Task AnotherUsersSameClientMessageIdIsADifferentMessage()
    {
        await using var alice = await _host.Api.ConnectAsync("alice");
        await using var bob = await _host.Api.ConnectAsync("bob");
        await alice.InvokeAsync("JoinRoom", "lobby", null);
        await bob.InvokeAsync("JoinRoom", "lobby", null);

        var a = await alice.InvokeAsync("SendMessage", "lobby", "mine", "shared-id");
        var b = await bob.InvokeAsync("SendMessage", "lobby", "mine too", "shared-id");

        Assert.NotEqual(a.GetProperty("id").GetInt64(), b.GetProperty("id").GetInt64());
        Assert.False(b.GetProperty("duplicate").GetBoolean());
    }
}
