using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chatroom.Testing.SignalR;
using Xunit.Abstractions;

namespace Chatroom.MultiNode.Tests;

/// <summary>Chat across two socket-server processes sharing one Redis: fan-out, presence, typing, a node crash.</summary>
[Collection(MultiNodeCollection.Name)]
public sealed class MultiNodeChatTests(MultiNodeFixture cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public Task UsersOnDifferentNodesSeeEachOthersMessagesPresenceAndTyping() => cluster.RunAsync(output, async () =>
    {
        var room = await NewRoomAsync();
        var aliceToken = await cluster.ApiClient.GuestTokenAsync("alice");
        var bobToken = await cluster.ApiClient.GuestTokenAsync("bob");
        await using var alice = await cluster.ConnectAsync(cluster.SocketA, aliceToken);
        await using var bob = await cluster.ConnectAsync(cluster.SocketB, bobToken);

        await alice.InvokeAsync("JoinRoom", room, null);
        var joined = await bob.InvokeAsync("JoinRoom", room, null);
        Assert.Contains(joined.GetProperty("present").EnumerateArray(), p => p.GetProperty("name").GetString() == "alice");
        var bobJoined = await alice.WaitForEventAsync("presence", e => IsPresence(e, room, "bob", "joined"), EventTimeout);
        Assert.Equal(2, bobJoined.GetProperty("count").GetInt32());

        var fromA = await SendAsync(alice, room, "hello from node A");
        var atB = await bob.WaitForEventAsync("message", e => IsMessage(e, room, fromA), EventTimeout);
        Assert.Equal("hello from node A", atB.GetProperty("text").GetString());
        Assert.Equal("alice", atB.GetProperty("authorName").GetString());

        var fromB = await SendAsync(bob, room, "and hello from node B");
        Assert.True(fromB > fromA);
        var atA = await alice.WaitForEventAsync("message", e => IsMessage(e, room, fromB), EventTimeout);
        Assert.Equal("and hello from node B", atA.GetProperty("text").GetString());
        await bob.WaitForEventAsync("message", e => IsMessage(e, room, fromB), EventTimeout);

        await bob.InvokeAsync("Typing", room);
        var typing = await alice.WaitForEventAsync("typing", e => e.GetProperty("room").GetString() == room, EventTimeout);
        Assert.Equal("bob", typing.GetProperty("user").GetProperty("name").GetString());
        await alice.InvokeAsync("Typing", room);
        await bob.WaitForEventAsync("typing", e => e.GetProperty("room").GetString() == room
            && e.GetProperty("user").GetProperty("name").GetString() == "alice", EventTimeout);

        await bob.InvokeAsync("LeaveRoom", room);
        var left = await alice.WaitForEventAsync("presence", e => IsPresence(e, room, "bob", "left"), EventTimeout);
        Assert.Equal(1, left.GetProperty("count").GetInt32());
    });

    [Fact]
    public Task ACrashedNodesUsersLeavePresenceAndRecoverEverythingOnTheOtherNode() => cluster.RunAsync(output, async () =>
    {
        var room = await NewRoomAsync();
        var bobToken = await cluster.ApiClient.GuestTokenAsync("bob");
        await using var alice = await cluster.ConnectAsync(cluster.SocketA, await cluster.ApiClient.GuestTokenAsync("alice"));
        await using var bob = await cluster.ConnectAsync(cluster.SocketB, bobToken);
        await using var carol = await cluster.ConnectAsync(cluster.SocketB, await cluster.ApiClient.GuestTokenAsync("carol"));
        await alice.InvokeAsync("JoinRoom", room, null);
        await bob.InvokeAsync("JoinRoom", room, null);
        await carol.InvokeAsync("JoinRoom", room, null);
        await alice.WaitForEventAsync("presence", e => IsPresence(e, room, "carol", "joined"), EventTimeout);

        var beforeCrash = await SendAsync(bob, room, "acknowledged just before the crash");
        await alice.WaitForEventAsync("message", e => IsMessage(e, room, beforeCrash), EventTimeout);
        var aliceFirst = await SendAsync(alice, room, "bob should see this live");
        await bob.WaitForEventAsync("message", e => IsMessage(e, room, aliceFirst), EventTimeout);

        var bobJoinsBefore = alice.EventsOf("presence").Count(e => IsPresence(e, room, "bob", "joined"));
        var crash = Stopwatch.StartNew();
        await cluster.SocketB.KillAsync();

        // The sweep of a live node removes the dead node's users once its heartbeat key expires.
        var bound = MultiNodeFixture.NodeTimeout + MultiNodeFixture.HeartbeatInterval * 2 + TimeSpan.FromSeconds(5);
        await alice.WaitForEventAsync("presence", e => IsPresence(e, room, "bob", "left"), bound);
        await alice.WaitForEventAsync("presence", e => IsPresence(e, room, "carol", "left"), bound);
        output.WriteLine($"The crashed node's users left presence after {crash.ElapsedMilliseconds} ms (bound {bound.TotalMilliseconds} ms).");
        Assert.True(crash.Elapsed < bound);
        Assert.Equal(1, await PresentAsync(room, bobToken));

        await bob.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        var bobSaw = bob.EventsOf("message").Where(e => e.GetProperty("room").GetString() == room).Select(e => e.GetProperty("id").GetInt64()).ToList();
        var lastSeen = bobSaw.Max();

        var whileAway = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            whileAway.Add(await SendAsync(alice, room, $"sent while bob's node was down #{i}"));
        }

        await using var bobAgain = await cluster.ConnectAsync(cluster.SocketA, bobToken);
        var rejoined = await bobAgain.InvokeAsync("JoinRoom", room, lastSeen);
        var missed = rejoined.GetProperty("missed").EnumerateArray().Select(m => m.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(whileAway, missed);
        Assert.False(rejoined.GetProperty("missedTruncated").GetBoolean());
        await WaitUntilAsync(() => alice.EventsOf("presence").Count(e => IsPresence(e, room, "bob", "joined")) > bobJoinsBefore, EventTimeout);

        // Nothing acknowledged is lost: what bob saw live plus what he recovered is the whole log.
        var log = await cluster.ApiClient.GetJsonAsync($"/api/rooms/{room}/messages?limit=200", bobToken);
        var all = log["messages"]!.AsArray().Select(m => m!["id"]!.GetValue<long>()).ToList();
        Assert.Contains(beforeCrash, all);
        Assert.Equal(all, bobSaw.Concat(missed).Distinct().Order());

        var afterward = await SendAsync(bobAgain, room, "back, through node A");
        await alice.WaitForEventAsync("message", e => IsMessage(e, room, afterward), EventTimeout);
    });

    [Fact]
    public Task ARuleChangeMadeThroughTheApiAppliesToTheVeryNextSendOnEveryNode() => cluster.RunAsync(output, async () =>
    {
        var room = await NewRoomAsync();
        var admin = await cluster.ApiClient.AdminTokenAsync(MultiNodeFixture.AdminPassword);
        var token = await cluster.ApiClient.GuestTokenAsync("dana");
        await using var onA = await cluster.ConnectAsync(cluster.SocketA, token);
        await using var onB = await cluster.ConnectAsync(cluster.SocketB, token);
        await onA.InvokeAsync("JoinRoom", room, null);
        await onB.InvokeAsync("JoinRoom", room, null);
        await SendAsync(onA, room, "from A");
        await SendAsync(onB, room, "from B");

        using (var locked = await cluster.ApiClient.SendAsync(HttpMethod.Put, $"/api/admin/rooms/{room}/settings", admin, new { locked = true }))
        {
            Assert.Equal(204, (int)locked.StatusCode);
        }

        foreach (var tab in new[] { onA, onB })
        {
            var refusal = await Assert.ThrowsAsync<HubInvocationException>(() => SendAsync(tab, room, "locked out?"));
            Assert.Equal("room_locked", refusal.Code);
        }

        using (var unlocked = await cluster.ApiClient.SendAsync(HttpMethod.Put, $"/api/admin/rooms/{room}/settings", admin, new { locked = false, slowModeSeconds = 60 }))
        {
            Assert.Equal(204, (int)unlocked.StatusCode);
        }

        // Slow mode counts from dana's last accepted send, made before it was switched on.
        foreach (var tab in new[] { onA, onB })
        {
            var refusal = await Assert.ThrowsAsync<HubInvocationException>(() => SendAsync(tab, room, "slowly"));
            Assert.Equal("slow_mode", refusal.Code);
        }
    });

    private async Task<string> NewRoomAsync()
    {
        var room = "mn-" + Guid.NewGuid().ToString("N")[..12];
        await cluster.ApiClient.CreateRoomAsync(await cluster.ApiClient.AdminTokenAsync(MultiNodeFixture.AdminPassword), room);
        return room;
    }

    /// <summary>Users present in the room, as <c>GET /api/rooms</c> says.</summary>
    private async Task<int> PresentAsync(string room, string token)
    {
        using var response = await cluster.ApiClient.SendAsync(HttpMethod.Get, "/api/rooms", token);
        response.EnsureSuccessStatusCode();
        var rooms = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        return rooms.Single(r => r!["name"]!.GetValue<string>() == room)!["present"]!.GetValue<int>();
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"The condition did not hold within {timeout}.");
            }

            await Task.Delay(50);
        }
    }

    internal static async Task<long> SendAsync(HubClient client, string room, string text) =>
        (await client.InvokeAsync("SendMessage", room, text, Guid.NewGuid().ToString("N"))).GetProperty("id").GetInt64();

    internal static bool IsMessage(JsonElement e, string room, long id) =>
        e.GetProperty("room").GetString() == room && e.GetProperty("id").GetInt64() == id;

    private static bool IsPresence(JsonElement e, string room, string name, string action) =>
        e.GetProperty("room").GetString() == room && e.GetProperty("action").GetString() == action
        && e.GetProperty("user").GetProperty("name").GetString() == name;
}
