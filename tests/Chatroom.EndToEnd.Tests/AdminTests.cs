using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;

namespace Chatroom.EndToEnd.Tests;

public sealed class AdminTests : IAsyncLifetime
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
    public async Task ABroadcastIsStoredInEveryRoomAndReachesConnectedUsers()
    {
        var guest = await _host.Api.GuestTokenAsync("listener");
        await _host.Api.CreateRoomAsync(guest, "second-room");
        await using var listener = await _host.Api.ConnectWithTokenAsync(guest);
        await listener.InvokeAsync("JoinRoom", "lobby", null);
        var admin = await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);

        using var response = await _host.Api.SendAsync(HttpMethod.Post, "/api/admin/broadcast", admin, new { text = "maintenance at noon" });
        response.EnsureSuccessStatusCode();
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonObject>())!["rooms"]!.GetValue<int>());

        var live = await listener.WaitForEventAsync("message", m => m.GetProperty("kind").GetString() == "system");
        Assert.Equal("maintenance at noon", live.GetProperty("text").GetString());
        var notice = await listener.WaitForEventAsync("system");
        Assert.Equal("maintenance at noon", notice.GetProperty("text").GetString());
        foreach (var room in new[] { "lobby", "second-room" })
        {
            var page = await _host.Api.GetJsonAsync($"/api/rooms/{room}/messages", guest);
            var stored = Assert.Single(page["messages"]!.AsArray())!;
            Assert.Equal("system", stored["kind"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task AnEmptyBroadcastIsRefused()
    {
        var admin = await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
        using var response = await _host.Api.SendAsync(HttpMethod.Post, "/api/admin/broadcast", admin, new { text = " " });
        Assert.Equal((400, "empty_text"), await ChatApiClient.ProblemAsync(response));
    }

    [Fact]
    public async Task StatsCountRoomsConnectedUsersAndMessages()
    {
        await using var alice = await _host.Api.ConnectAsync("alice");
        await using var bob = await _host.Api.ConnectAsync("bob");
        await alice.InvokeAsync("JoinRoom", "lobby", null);
        await alice.InvokeAsync("SendMessage", "lobby", "one", "s-1");
        await alice.InvokeAsync("SendMessage", "lobby", "two", "s-2");
        var admin = await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);

        var stats = await _host.Api.GetJsonAsync("/api/admin/stats", admin);

        Assert.Equal(1, stats["rooms"]!.GetValue<int>());
        Assert.Equal(2, stats["connectedUsers"]!.GetValue<long>());
        Assert.Equal(2, stats["messages"]!.GetValue<long>());
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesThePublicRoutes()
    {
        var document = await _host.Api.Http.GetStringAsync("/openapi/v1.json");
        foreach (var route in new[] { "/api/auth/guest", "/api/auth/admin", "/api/rooms", "/api/rooms/{room}/messages", "/api/admin/stats", "/api/admin/broadcast" })
        {
            Assert.Contains($"\"{route}\"", document);
        }
    }
}
