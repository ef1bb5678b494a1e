using System.Text.Json.Nodes;
using Chatroom.Testing.Bridges;
using Chatroom.Testing.Hosting;
using Xunit.Abstractions;

namespace Chatroom.MultiNode.Tests;

/// <summary>A bridge configured on two analysis processes on one Redis: exactly one carries it, and when that one dies the other takes over.</summary>
[Collection(MultiNodeCollection.Name)]
public sealed class MultiNodeBridgeTests(MultiNodeFixture cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public Task ABridgeIsHeldByOneNode_AndTakenOverByAnotherWhenItsHolderDies() => cluster.RunAsync(output, async () =>
    {
        await using var peer = await BridgePeer.StartAsync(FreePort.Next());
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var bridge = "mn" + suffix;
        var room = "bridged-" + suffix;
        var admin = await cluster.ApiClient.AdminTokenAsync(MultiNodeFixture.AdminPassword);
        await cluster.ApiClient.CreateRoomAsync(admin, room);

        KeyValuePair<string, string>[] Settings(string node) =>
        [
            new("Chatroom__Sockets__NodeId", node),
            new($"Chatroom__Bridges__{bridge}__Url", peer.Url),
            new($"Chatroom__Bridges__{bridge}__RoomMap__{room}", "shared"),
            new($"Chatroom__Bridges__{bridge}__LeaseDuration", "00:00:03"),
            new($"Chatroom__Bridges__{bridge}__InitialBackoff", "00:00:00.200"),
            new($"Chatroom__Bridges__{bridge}__MaxBackoff", "00:00:01"),
        ];

        var nodes = await Task.WhenAll(cluster.StartAnalysisAsync("bridge-a", Settings("bridge-a-" + suffix)),
            cluster.StartAnalysisAsync("bridge-b", Settings("bridge-b-" + suffix)));
        await using var nodeA = nodes[0];
        await using var nodeB = nodes[1];
        try
        {
            var first = await BridgeAsync(admin, bridge, b => b["state"]!.GetValue<string>() == "connected");
            var holder = first["holder"]!.GetValue<string>();
            Assert.Contains(holder, new[] { "bridge-a-" + suffix, "bridge-b-" + suffix });
            await peer.WaitForFrameAsync("hello", f => BridgePeer.Is(f, "type", "hello"));

            var token = await cluster.ApiClient.GuestTokenAsync("gus");
            await using var gus = await cluster.ConnectAsync(cluster.SocketA, token);
            await gus.InvokeAsync("JoinRoom", room, null);
            await gus.InvokeAsync("SendMessage", room, "before the takeover", "t-1");
            await peer.WaitForFrameAsync("the first message", f => BridgePeer.Is(f, "text", "before the takeover"));

            // The standby node never connected: one connection so far.
            Assert.Equal(1, peer.Connections);

            var (victim, survivor) = holder.StartsWith("bridge-a-", StringComparison.Ordinal) ? (nodeA, "bridge-b-" + suffix) : (nodeB, "bridge-a-" + suffix);
            await victim.KillAsync();

            // Its lease runs out (it could not release it) and the other node takes the bridge.
            await BridgeAsync(admin, bridge, b => b["state"]!.GetValue<string>() == "connected" && b["holder"]!.GetValue<string>() == survivor);
            await gus.InvokeAsync("SendMessage", room, "after the takeover", "t-2");
            await peer.WaitForFrameAsync("a message after the takeover", f => BridgePeer.Is(f, "text", "after the takeover"));
            Assert.Single(peer.MessagesWithText("before the takeover"));

            await peer.SendAsync(new { type = "message", channel = "shared", sender = new { id = "x1", name = "Xena" }, text = "hello from the peer", id = "x-1" });
            var incoming = await gus.WaitForEventAsync("message", e => e.GetProperty("text").GetString() == "hello from the peer", EventTimeout);
            Assert.Equal("bridge", incoming.GetProperty("kind").GetString());
            Assert.Equal(2, peer.Connections);
        }
        catch
        {
            output.WriteLine(nodeA.Output);
            output.WriteLine(nodeB.Output);
            throw;
        }
    });

    private Task<JsonObject> BridgeAsync(string admin, string name, Func<JsonObject, bool> done) =>
        Poll.UntilAsync($"bridge {name} state", async () =>
        {
            var bridges = await cluster.ApiClient.GetJsonArrayAsync("/api/admin/bridges", admin);
            return bridges.OfType<JsonObject>().FirstOrDefault(b => b["name"]!.GetValue<string>() == name && done(b));
        });
}
