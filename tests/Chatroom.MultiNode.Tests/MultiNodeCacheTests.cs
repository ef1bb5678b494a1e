using System.Text.Json.Nodes;
using Chatroom.Testing.SignalR;
using Xunit.Abstractions;
using static Chatroom.MultiNode.Tests.MultiNodeChatTests;

namespace Chatroom.MultiNode.Tests;

/// <summary>
/// Socket servers keep a room's state, bans and mutes in memory (the Redis backend's node cache): a change made through
/// the API applies to the very next send on another node, and a node whose bus subscription lapsed starts over. The
/// fixture gives the cache a 10-minute TTL, so nothing here passes because an entry merely expired. (Lock and slow mode:
/// <see cref="MultiNodeChatTests.ARuleChangeMadeThroughTheApiAppliesToTheVeryNextSendOnEveryNode"/>.)
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class MultiNodeCacheTests(MultiNodeFixture cluster, ITestOutputHelper output)
{
    [Fact]
    public Task AMuteAndABanResolvedThroughTheApiApplyToTheVeryNextSendOnTheOtherNode() => cluster.RunAsync(output, async () =>
    {
        var room = await NewRoomAsync();
        var admin = await cluster.ApiClient.AdminTokenAsync(MultiNodeFixture.AdminPassword);
        var reporterToken = await cluster.ApiClient.GuestTokenAsync("rex");
        await using var reporter = await cluster.ConnectAsync(cluster.SocketA, reporterToken);
        await using var eve = await cluster.ConnectAsync(cluster.SocketB, await cluster.ApiClient.GuestTokenAsync("eve"));
        await using var finn = await cluster.ConnectAsync(cluster.SocketB, await cluster.ApiClient.GuestTokenAsync("finn"));
        foreach (var client in new[] { reporter, eve, finn })
        {
            await client.InvokeAsync("JoinRoom", room, null);
        }

        // Node B has read the room, and eve's and finn's (absent) ban and mute, for these sends.
        var eveMessage = await SendAsync(eve, room, "first from eve");
        var finnMessage = await SendAsync(finn, room, "first from finn");
        await SendAsync(eve, room, "second from eve");
        await SendAsync(finn, room, "second from finn");

        await ResolveReportAsync(admin, reporterToken, room, eveMessage, "mute");
        var muted = await Assert.ThrowsAsync<HubInvocationException>(() => SendAsync(eve, room, "still here?"));
        Assert.Equal("muted", muted.Code);

        await ResolveReportAsync(admin, reporterToken, room, finnMessage, "ban");
        var banned = await Assert.ThrowsAsync<HubInvocationException>(() => SendAsync(finn, room, "still here?"));
        Assert.Equal("banned", banned.Code);
    });

    [Fact]
    public Task ANodeWhoseBusSubscriptionLapsedDropsWhatItCachedAndSeesChangesItMissed() => cluster.RunAsync(output, async () =>
    {
        var room = await NewRoomAsync();
        await using var gina = await cluster.ConnectAsync(cluster.SocketB, await cluster.ApiClient.GuestTokenAsync("gina"));
        await gina.InvokeAsync("JoinRoom", room, null);
        var sent = await SendAsync(gina, room, "before");
        var echoed = await gina.WaitForEventAsync("message", e => IsMessage(e, room, sent), TimeSpan.FromSeconds(15));
        var ginaId = echoed.GetProperty("authorId").GetString()!;

        // A ban written straight into Redis is a change whose announcement node B never got.
        await cluster.Redis.CliAsync("HSET", $"chat:{{room:{room}}}:bans", ginaId, string.Empty);
        await SendAsync(gina, room, "node B still serves what it cached");

        // Every pub/sub connection is dropped: the library reconnects and the bus resyncs; the cache starts over.
        await cluster.Redis.CliAsync("CLIENT", "KILL", "TYPE", "pubsub");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await SendAsync(gina, room, "after the lapse");
            }
            catch (HubInvocationException e) when (e.Code == "banned")
            {
                break;
            }
            catch (HubInvocationException e) when (e.Code == "backend_unavailable" && DateTime.UtcNow < deadline)
            {
                // A send racing the reconnect.
            }

            Assert.True(DateTime.UtcNow < deadline, "Node B kept admitting a banned user after its subscription came back.");
            await Task.Delay(100);
        }
    });

    private async Task ResolveReportAsync(string admin, string reporterToken, string room, long messageId, string action)
    {
        using var report = await cluster.ApiClient.SendAsync(HttpMethod.Post, "/api/reports", reporterToken, new { room, messageId, reason = "rude" });
        report.EnsureSuccessStatusCode();
        var flagId = JsonNode.Parse(await report.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();
        using var resolved = await cluster.ApiClient.SendAsync(HttpMethod.Post, $"/api/admin/flags/{flagId}/resolve", admin,
            new { action, reason = "rude", muteSeconds = 600 });
        resolved.EnsureSuccessStatusCode();
    }

    private async Task<string> NewRoomAsync()
    {
        var room = "mc-" + Guid.NewGuid().ToString("N")[..12];
        await cluster.ApiClient.CreateRoomAsync(await cluster.ApiClient.AdminTokenAsync(MultiNodeFixture.AdminPassword), room);
        return room;
    }
}
