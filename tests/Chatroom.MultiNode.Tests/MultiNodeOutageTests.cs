using System.Diagnostics;
using System.Text.Json.Nodes;
using Chatroom.Testing.Http;
using Chatroom.Testing.SignalR;
using Xunit.Abstractions;

namespace Chatroom.MultiNode.Tests;

/// <summary>Redis goes away and comes back: refusals instead of hangs or silent loss, then service resumes by itself.</summary>
[Collection(MultiNodeCollection.Name)]
public sealed class MultiNodeOutageTests(MultiNodeFixture cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public Task WhileRedisIsDownSendsAreRefusedAndEverythingResumesWhenItReturns() => cluster.RunAsync(output, async () =>
    {
        var admin = await cluster.ApiClient.AdminTokenAsync(MultiNodeFixture.AdminPassword);
        var room = "outage-" + Guid.NewGuid().ToString("N")[..10];
        await cluster.ApiClient.CreateRoomAsync(admin, room);
        var aliceToken = await cluster.ApiClient.GuestTokenAsync("alice");
        await using var alice = await cluster.ConnectAsync(cluster.SocketA, aliceToken);
        await using var bob = await cluster.ConnectAsync(cluster.SocketB, await cluster.ApiClient.GuestTokenAsync("bob"));
        await alice.InvokeAsync("JoinRoom", room, null);
        await bob.InvokeAsync("JoinRoom", room, null);
        await alice.InvokeAsync("SendMessage", room, "before the outage", "o-0");

        await cluster.Redis.CliAsync("SAVE");
        await cluster.Redis.KillAsync();

        var clock = Stopwatch.StartNew();
        var refusal = await Assert.ThrowsAsync<HubInvocationException>(() => alice.InvokeAsync("SendMessage", room, "during the outage", "o-1"));
        Assert.Equal("backend_unavailable", refusal.Code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the refusal took {clock.Elapsed}");
        using (var history = await cluster.ApiClient.SendAsync(HttpMethod.Get, $"/api/rooms/{room}/messages", aliceToken))
        {
            Assert.Equal((503, "backend_unavailable"), await ChatApiClient.ProblemAsync(history));
        }

        // The readiness probe says so too (the StackExchange.Redis check and the backend check are both unhealthy).
        using (var health = await cluster.ApiClient.SendAsync(HttpMethod.Get, "/health", token: null))
        {
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }

        // Longer than a node's presence lifetime: every heartbeat in between failed.
        await Task.Delay(MultiNodeFixture.NodeTimeout + TimeSpan.FromSeconds(1));
        await cluster.Redis.RestartAsync();

        long id = 0;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (id == 0)
        {
            try
            {
                id = (await alice.InvokeAsync("SendMessage", room, "after the outage", "o-2")).GetProperty("id").GetInt64();
            }
            catch (HubInvocationException e) when (e.Code == "backend_unavailable" && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }

        await bob.WaitForEventAsync("message", e => e.GetProperty("id").GetInt64() == id, EventTimeout);

        // Each process reconnects on its own schedule (backoff up to 5 s ± 50 %): the API may answer 503 a while longer.
        var texts = (await EventuallyAsync(() => cluster.ApiClient.GetJsonAsync($"/api/rooms/{room}/messages", aliceToken)))["messages"]!.AsArray()
            .Select(m => m!["text"]!.GetValue<string>()).ToList();
        Assert.Equal(["before the outage", "after the outage"], texts);

        // Both users are still present once the nodes have heartbeated again, whatever was swept meanwhile.
        await Task.Delay(MultiNodeFixture.HeartbeatInterval * 3);
        var rooms = await EventuallyAsync(async () => JsonNode.Parse(await RoomsAsync(aliceToken))!.AsArray());
        Assert.Equal(2, rooms.Single(r => r!["name"]!.GetValue<string>() == room)!["present"]!.GetValue<int>());
    });

    private async Task<string> RoomsAsync(string token)
    {
        using var response = await cluster.ApiClient.SendAsync(HttpMethod.Get, "/api/rooms", token);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Retries a call that fails while a process is still reconnecting to Redis, for at most 20 s.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (HttpRequestException e) when (e.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }
}
