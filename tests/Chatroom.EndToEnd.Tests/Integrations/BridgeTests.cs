using System.Text.Json;
using System.Text.Json.Nodes;
using Chatroom.Testing.Bridges;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;

namespace Chatroom.EndToEnd.Tests.Integrations;

/// <summary>
/// An outbound WebSocket bridge from the standalone host to a real WebSocket peer on loopback: messages both ways,
/// room mapping, the loop guard, bad frames dropped and counted with the connection kept, and a peer restart.
/// </summary>
public sealed class BridgeTests
{
    private const string Secret = "Bearer peer-secret";

    [Fact]
    public async Task MessagesCrossTheBridgeBothWays_IntoTheMappedRooms_NeverEchoingTheBridgesOwn()
    {
        await using var peer = await BridgePeer.StartAsync(FreePort.Next());
        using var data = new TempDirectory();
        await using var host = await StandaloneHost.StartAsync(data.Path, Settings(peer));
        var api = host.Api;
        var admin = await api.AdminTokenAsync(StandaloneHost.AdminPassword);
        await api.CreateRoomAsync(admin, "ops");

        var hello = await peer.WaitForFrameAsync("hello", f => BridgePeer.Is(f, "type", "hello"));
        Assert.Equal("partner", hello.GetProperty("bridge").GetString());
        Assert.Equal(["general", "ops-channel"], hello.GetProperty("channels").EnumerateArray().Select(c => c.GetString()).Order());
        Assert.Equal(Secret, peer.Authorization);

        await using var ana = await api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        await ana.InvokeAsync("JoinRoom", "ops", null);

        // Out: a message in a mapped room goes to its channel, with who wrote it.
        var sent = await ana.InvokeAsync("SendMessage", "lobby", "hello over there", "a-1");
        var outgoing = await peer.WaitForFrameAsync("ana's message", f => BridgePeer.Is(f, "text", "hello over there"));
        Assert.Equal("general", outgoing.GetProperty("channel").GetString());
        Assert.Equal("ana", outgoing.GetProperty("sender").GetProperty("name").GetString());
        Assert.Equal("user", outgoing.GetProperty("sender").GetProperty("kind").GetString());
        Assert.Equal($"lobby/{sent.GetProperty("id").GetInt64()}", outgoing.GetProperty("id").GetString());

        // In: the peer's message appears in the mapped room as a bridge user, live.
        await peer.SendAsync(new { type = "message", channel = "general", sender = new { id = "u-17", name = "Bob" }, text = "hi from the other side", id = "p-1" });
        var incoming = await ana.WaitForEventAsync("message", e => e.GetProperty("text").GetString() == "hi from the other side");
        Assert.Equal("lobby", incoming.GetProperty("room").GetString());
        Assert.Equal("Bob", incoming.GetProperty("authorName").GetString());
        Assert.Equal("bridge", incoming.GetProperty("kind").GetString());
        Assert.Equal("bridge:partner:u-17", incoming.GetProperty("authorId").GetString());

        // The other mapping: a channel lands in its own room.
        await peer.SendAsync(new { type = "message", channel = "ops-channel", sender = new { id = "u-18", name = "Cy" }, text = "deploy done", id = "p-2" });
        var ops = await ana.WaitForEventAsync("message", e => e.GetProperty("text").GetString() == "deploy done");
        Assert.Equal("ops", ops.GetProperty("room").GetString());

        // The loop guard: the messages the bridge posted never go back to the peer. Sending follows the log's order, so
        // once a later message has arrived, an echo would have arrived before it.
        await ana.InvokeAsync("SendMessage", "lobby", "after the peer spoke", "a-2");
        await ana.InvokeAsync("SendMessage", "ops", "ops after the peer spoke", "a-3");
        await peer.WaitForFrameAsync("the later lobby message", f => BridgePeer.Is(f, "text", "after the peer spoke"));
        var opsOut = await peer.WaitForFrameAsync("the later ops message", f => BridgePeer.Is(f, "text", "ops after the peer spoke"));
        Assert.Equal("ops-channel", opsOut.GetProperty("channel").GetString());
        Assert.Empty(peer.MessagesWithText("hi from the other side"));
        Assert.Empty(peer.MessagesWithText("deploy done"));

        // The peer sending the same id again (as after a reconnect) is stored once.
        await peer.SendAsync(new { type = "message", channel = "general", sender = new { id = "u-17", name = "Bob" }, text = "hi from the other side", id = "p-1" });
        await peer.SendAsync(new { type = "message", channel = "general", sender = new { id = "u-17", name = "Bob" }, text = "second from Bob", id = "p-3" });
        await ana.WaitForEventAsync("message", e => e.GetProperty("text").GetString() == "second from Bob");
        var history = (await api.GetJsonAsync("/api/rooms/lobby/messages?limit=50", admin))["messages"]!.AsArray();
        Assert.Single(history, m => m!["text"]!.GetValue<string>() == "hi from the other side");

        var bridge = await BridgeAsync(api, admin, b => b["messagesIn"]!.GetValue<long>() >= 3 && b["messagesOut"]!.GetValue<long>() >= 3);
        Assert.Equal("connected", bridge["state"]!.GetValue<string>());
        Assert.Equal(peer.Url, bridge["url"]!.GetValue<string>());
        Assert.NotNull(bridge["holder"]!.GetValue<string>());
        Assert.NotNull(bridge["connectedSince"]);
        Assert.DoesNotContain("peer-secret", bridge.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GarbageOversizedUnmappedAndFloodingFrames_AreDroppedAndCounted_TheConnectionAndChatCarryOn()
    {
        // Two bridges: one with room to spare for bad frames, one limited to two frames a second for the flood.
        await using var peer = await BridgePeer.StartAsync(FreePort.Next());
        await using var flooder = await BridgePeer.StartAsync(FreePort.Next());
        using var data = new TempDirectory();
        var settings = Settings(peer);
        settings["Chatroom:Bridges:flooder:Url"] = flooder.Url;
        settings["Chatroom:Bridges:flooder:RoomMap:lobby"] = "flood-channel";
        settings["Chatroom:Bridges:flooder:MaxMessagesPerSecond"] = "2";
        await using var host = await StandaloneHost.StartAsync(data.Path, settings);
        var api = host.Api;
        var admin = await api.AdminTokenAsync(StandaloneHost.AdminPassword);
        await peer.WaitForFrameAsync("hello", f => BridgePeer.Is(f, "type", "hello"));
        await flooder.WaitForFrameAsync("hello", f => BridgePeer.Is(f, "type", "hello"));
        await using var ana = await api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);

        await peer.SendRawAsync("{not json");
        await peer.SendBinaryAsync([1, 2, 3]);
        await peer.SendAsync(new { type = "message", channel = "general", sender = new { id = "u-1", name = "Big" }, text = new string('x', 4096), id = "big-1" });
        await peer.SendAsync(new { type = "message", channel = "nowhere", sender = new { id = "u-1", name = "Lost" }, text = "to no room", id = "lost-1" });
        await peer.SendAsync(new { type = "message", channel = "general", text = "no sender" });
        await peer.SendAsync(new { type = "teleport" });
        await peer.SendAsync(new { type = "ping" });
        await peer.SendAsync(new { type = "message", channel = "general", sender = new { id = "u-3", name = "Dee" }, text = "after the garbage", id = "ok-1" });

        // The connection stayed up through all of it: the good message after the garbage arrives, and the ping was answered.
        await ana.WaitForEventAsync("message", e => e.GetProperty("text").GetString() == "after the garbage");
        await peer.WaitForFrameAsync("pong", f => BridgePeer.Is(f, "type", "pong"));
        var counted = await BridgeAsync(api, admin, b => b["dropped"]!.GetValue<long>() >= 6);
        Assert.Equal(6, counted["dropped"]!.GetValue<long>());
        Assert.Equal("connected", counted["state"]!.GetValue<string>());
        Assert.Equal(1, peer.Connections);
        var metrics = await api.Http.GetStringAsync("/metrics");
        Assert.Equal(4, Dropped(metrics, "partner", "invalid"));
        Assert.Equal(1, Dropped(metrics, "partner", "too_large"));
        Assert.Equal(1, Dropped(metrics, "partner", "unmapped"));

        // A flood: far more than two a second. Most are dropped; the connection stays up.
        for (var i = 0; i < 40; i++)
        {
            await flooder.SendAsync(new { type = "message", channel = "flood-channel", sender = new { id = "u-2", name = "Flo" }, text = $"flood {i}", id = $"flood-{i}" });
        }

        var afterFlood = await BridgeAsync(api, admin, b => b["name"]!.GetValue<string>() == "flooder"
            && b["dropped"]!.GetValue<long>() + b["messagesIn"]!.GetValue<long>() >= 40, "flooder");
        Assert.InRange(afterFlood["dropped"]!.GetValue<long>(), 1, 40);
        Assert.Equal("connected", afterFlood["state"]!.GetValue<string>());
        Assert.True(Dropped(await api.Http.GetStringAsync("/metrics"), "flooder", "flood") >= 1);

        // Chat for everyone else is unaffected, and the flooding peer's connection still carries messages both ways.
        await ana.InvokeAsync("SendMessage", "lobby", "still chatting", "s-1");
        await ana.WaitForEventAsync("message", e => e.GetProperty("text").GetString() == "still chatting");
        await flooder.WaitForFrameAsync("ana's message after the flood", f => BridgePeer.Is(f, "text", "still chatting"));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        for (var k = 0; !ana.EventsOf("message").Any(e => e.GetProperty("text").GetString()!.StartsWith("still here", StringComparison.Ordinal)); k++)
        {
            // Once the flood budget has refilled, one of these gets through.
            Assert.True(DateTime.UtcNow < deadline, "nothing from the flooding peer got through after the flood");
            await flooder.SendAsync(new { type = "message", channel = "flood-channel", sender = new { id = "u-4", name = "Dee" }, text = $"still here {k}", id = $"still-{k}" });
            try
            {
                await ana.WaitForEventAsync("message", e => e.GetProperty("text").GetString()!.StartsWith("still here", StringComparison.Ordinal), TimeSpan.FromSeconds(1));
            }
            catch (TimeoutException)
            {
                // Dropped as part of the flood still: try again.
            }
        }

        Assert.Equal(1, flooder.Connections);
        Assert.DoesNotContain(ana.EventsOf("message"), e => e.GetProperty("text").GetString() is "to no room" or "no sender");
    }

    [Fact]
    public async Task MessagesPostedWhileThePeerIsDown_GoOutInOrderAfterItComesBack()
    {
        await using var peer = await BridgePeer.StartAsync(FreePort.Next());
        using var data = new TempDirectory();
        await using var host = await StandaloneHost.StartAsync(data.Path, Settings(peer));
        var api = host.Api;
        var admin = await api.AdminTokenAsync(StandaloneHost.AdminPassword);
        await using var ana = await api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        await ana.InvokeAsync("SendMessage", "lobby", "before the restart", "r-0");
        await peer.WaitForFrameAsync("the first message", f => BridgePeer.Is(f, "text", "before the restart"));

        await peer.StopAsync();
        var away = await BridgeAsync(api, admin, b => b["state"]!.GetValue<string>() == "backoff");
        Assert.False(string.IsNullOrEmpty(away["lastError"]!.GetValue<string>()));
        Assert.Null(away["connectedSince"]);

        await ana.InvokeAsync("SendMessage", "lobby", "while away 1", "r-1");
        await ana.InvokeAsync("SendMessage", "lobby", "while away 2", "r-2");

        await peer.StartAsync();
        var second = await peer.WaitForFrameAsync("the second message posted while away", f => BridgePeer.Is(f, "text", "while away 2"));
        var frames = peer.Frames.ToList();
        var first = frames.FindIndex(f => BridgePeer.Is(f, "text", "while away 1"));
        Assert.InRange(first, 0, frames.FindIndex(f => BridgePeer.Is(f, "text", "while away 2")) - 1);
        Assert.Equal("general", second.GetProperty("channel").GetString());
        Assert.Single(peer.MessagesWithText("before the restart"));

        // Back in both directions, on the new connection.
        await peer.SendAsync(new { type = "message", channel = "general", sender = new { id = "u-5", name = "Eve" }, text = "back again", id = "b-1" });
        await ana.WaitForEventAsync("message", e => e.GetProperty("text").GetString() == "back again");
        // The counters go on from before the restart (they are refreshed with each lease renewal).
        await BridgeAsync(api, admin, b => b["state"]!.GetValue<string>() == "connected"
            && b["messagesOut"]!.GetValue<long>() == 3 && b["messagesIn"]!.GetValue<long>() == 1);
        Assert.True(peer.Connections >= 2);
    }

    private static Dictionary<string, string?> Settings(BridgePeer peer, string maxPerSecond = "100") => new()
    {
        ["Chatroom:Bridges:partner:Url"] = peer.Url,
        ["Chatroom:Bridges:partner:AuthHeader:Name"] = "Authorization",
        ["Chatroom:Bridges:partner:AuthHeader:Value"] = Secret,
        ["Chatroom:Bridges:partner:RoomMap:lobby"] = "general",
        ["Chatroom:Bridges:partner:RoomMap:ops"] = "ops-channel",
        ["Chatroom:Bridges:partner:MaxMessageBytes"] = "1024",
        ["Chatroom:Bridges:partner:MaxMessagesPerSecond"] = maxPerSecond,
        ["Chatroom:Bridges:partner:InitialBackoff"] = "00:00:00.200",
        ["Chatroom:Bridges:partner:MaxBackoff"] = "00:00:01",
        ["Chatroom:Bridges:partner:LeaseDuration"] = "00:00:03",
    };

    /// <summary>The bridge as <c>GET /api/admin/bridges</c> shows it, once <paramref name="done"/> holds (polling, generous deadline).</summary>
    private static Task<JsonObject> BridgeAsync(ChatApiClient api, string admin, Func<JsonObject, bool> done, string name = "partner") =>
        Poll.UntilAsync("bridge state", async () =>
        {
            var bridges = await api.GetJsonArrayAsync("/api/admin/bridges", admin);
            return bridges.OfType<JsonObject>().FirstOrDefault(b => b["name"]!.GetValue<string>() == name && done(b));
        });

    /// <summary>The value of <c>chatroom_bridge_dropped_total</c> for one bridge and reason in Prometheus text.</summary>
    private static long Dropped(string metrics, string bridge, string reason) => metrics.Split('\n')
        .Where(l => l.StartsWith("chatroom_bridge_dropped_total{", StringComparison.Ordinal)
            && l.Contains($"bridge=\"{bridge}\"", StringComparison.Ordinal) && l.Contains($"reason=\"{reason}\"", StringComparison.Ordinal))
        .Sum(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
}
