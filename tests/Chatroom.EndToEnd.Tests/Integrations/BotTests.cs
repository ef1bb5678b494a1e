using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;
using Chatroom.Testing.SignalR;

namespace Chatroom.EndToEnd.Tests.Integrations;

/// <summary>
/// Bot accounts end to end on the standalone host: an admin makes one, the bot exchanges its token, posts where its
/// scopes and rooms allow (with the BOT kind people see), is refused elsewhere, and a rotation or deletion stops it at once.
/// </summary>
public sealed class BotTests
{
    [Fact]
    public async Task ABotPostsInItsRoomsAsABot_AndIsRefusedOutsideThemOrItsScopes()
    {
        using var data = new TempDirectory();
        await using var host = await StandaloneHost.StartAsync(data.Path);
        var api = host.Api;
        var admin = await api.AdminTokenAsync(StandaloneHost.AdminPassword);
        await api.CreateRoomAsync(admin, "builds");
        await api.CreateRoomAsync(admin, "private-ops");

        var (_, botToken) = await CreateBotAsync(api, admin, "ci", ["read", "post"], ["builds"]);
        Assert.StartsWith("cbt_", botToken);
        var access = await ExchangeAsync(api, botToken);

        await using var watcher = await api.ConnectAsync("watcher");
        await watcher.InvokeAsync("JoinRoom", "builds", null);
        using (var posted = await PostAsync(api, access, "builds", "build 17 passed"))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            var message = (await posted.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!;
            Assert.Equal("bot", message["kind"]!.GetValue<string>());
            var live = await watcher.WaitForEventAsync("message", e => e.GetProperty("id").GetInt64() == message["id"]!.GetValue<long>());
            Assert.Equal("bot", live.GetProperty("kind").GetString());
            Assert.Equal("ci", live.GetProperty("authorName").GetString());
        }

        using (var outside = await PostAsync(api, access, "private-ops", "hello"))
        {
            Assert.Equal((403, "bot_room_not_allowed"), await ChatApiClient.ProblemAsync(outside));
        }

        using (var reading = await api.SendAsync(HttpMethod.Get, "/api/rooms/private-ops/messages", access))
        {
            Assert.Equal((403, "bot_room_not_allowed"), await ChatApiClient.ProblemAsync(reading));
        }

        var history = await api.GetJsonAsync("/api/rooms/builds/messages", access);
        Assert.Contains(history["messages"]!.AsArray(), m => m!["text"]!.GetValue<string>() == "build 17 passed" && m["kind"]!.GetValue<string>() == "bot");

        var (_, readerToken) = await CreateBotAsync(api, admin, "reader", ["read"], ["builds"]);
        var reader = await ExchangeAsync(api, readerToken);
        using (var readOnly = await PostAsync(api, reader, "builds", "may I?"))
        {
            Assert.Equal((403, "bot_scope_missing"), await ChatApiClient.ProblemAsync(readOnly));
        }

        // The hub holds a bot to the same rules: the check is in the send admission every entry point shares.
        await using var hubBot = await api.ConnectWithTokenAsync(access);
        await hubBot.InvokeAsync("JoinRoom", "private-ops", null);
        var refused = await Assert.ThrowsAsync<HubInvocationException>(() => hubBot.InvokeAsync("SendMessage", "private-ops", "hi", "h-1"));
        Assert.Equal("bot_room_not_allowed", refused.Code);
    }

    [Fact]
    public async Task RotatingOrDeletingABot_RefusesItsOldTokensAtOnce_AndClosesItsSocket()
    {
        using var data = new TempDirectory();
        await using var host = await StandaloneHost.StartAsync(data.Path);
        var api = host.Api;
        var admin = await api.AdminTokenAsync(StandaloneHost.AdminPassword);
        var (id, firstToken) = await CreateBotAsync(api, admin, "deployer", ["read", "post"], ["lobby"]);
        var firstAccess = await ExchangeAsync(api, firstToken);

        await using (var socket = await api.ConnectWithTokenAsync(firstAccess))
        {
            using var rotated = await api.SendAsync(HttpMethod.Post, $"/api/admin/bots/{id}/rotate", admin);
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
            var secondToken = (await rotated.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!["token"]!.GetValue<string>();
            Assert.NotEqual(firstToken, secondToken);
            Assert.StartsWith("bot_revoked:", await socket.Closed.WaitAsync(TimeSpan.FromSeconds(15)));

            using (var oldAccess = await PostAsync(api, firstAccess, "lobby", "still here?"))
            {
                Assert.Equal((401, "unauthorized"), await ChatApiClient.ProblemAsync(oldAccess));
            }

            using (var oldExchange = await api.SendAsync(HttpMethod.Post, "/api/auth/bot", null, new { token = firstToken }))
            {
                Assert.Equal((401, "invalid_bot_token"), await ChatApiClient.ProblemAsync(oldExchange));
            }

            var secondAccess = await ExchangeAsync(api, secondToken);
            using (var posted = await PostAsync(api, secondAccess, "lobby", "new token works"))
            {
                Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            }

            await using var again = await api.ConnectWithTokenAsync(secondAccess);
            using (var deleted = await api.SendAsync(HttpMethod.Delete, $"/api/admin/bots/{id}", admin))
            {
                Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            }

            Assert.StartsWith("bot_revoked:", await again.Closed.WaitAsync(TimeSpan.FromSeconds(15)));
            using (var afterDelete = await PostAsync(api, secondAccess, "lobby", "gone?"))
            {
                Assert.Equal((401, "unauthorized"), await ChatApiClient.ProblemAsync(afterDelete));
            }

            using var exchangeAfterDelete = await api.SendAsync(HttpMethod.Post, "/api/auth/bot", null, new { token = secondToken });
            Assert.Equal((401, "invalid_bot_token"), await ChatApiClient.ProblemAsync(exchangeAfterDelete));
        }

        var list = await api.SendAsync(HttpMethod.Get, "/api/admin/bots", admin);
        Assert.DoesNotContain(id, await list.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BadBotDefinitionsAndNonAdminsAreRefused()
    {
        using var data = new TempDirectory();
        await using var host = await StandaloneHost.StartAsync(data.Path);
        var api = host.Api;
        var admin = await api.AdminTokenAsync(StandaloneHost.AdminPassword);
        var guest = await api.GuestTokenAsync("sneaky");

        using (var byGuest = await api.SendAsync(HttpMethod.Post, "/api/admin/bots", guest, new { name = "x", scopes = new[] { "post" }, rooms = new[] { "lobby" } }))
        {
            Assert.Equal(403, (int)byGuest.StatusCode);
        }

        using (var badScope = await api.SendAsync(HttpMethod.Post, "/api/admin/bots", admin, new { name = "x", scopes = new[] { "admin" }, rooms = new[] { "lobby" } }))
        {
            Assert.Equal((400, "invalid_request"), await ChatApiClient.ProblemAsync(badScope));
        }

        using (var badRoom = await api.SendAsync(HttpMethod.Post, "/api/admin/bots", admin, new { name = "x", scopes = new[] { "post" }, rooms = new[] { "Not A Room" } }))
        {
            Assert.Equal((400, "invalid_room_name"), await ChatApiClient.ProblemAsync(badRoom));
        }

        using (var badName = await api.SendAsync(HttpMethod.Post, "/api/admin/bots", admin, new { name = "<b>", scopes = new[] { "post" }, rooms = new[] { "lobby" } }))
        {
            Assert.Equal((400, "invalid_name"), await ChatApiClient.ProblemAsync(badName));
        }

        using var forged = await api.SendAsync(HttpMethod.Post, "/api/auth/bot", null, new { token = "cbt_" + new string('A', 43) });
        Assert.Equal((401, "invalid_bot_token"), await ChatApiClient.ProblemAsync(forged));
    }

    [Fact]
    public async Task ABotTokenWorksStraightOnRestAndMcp_UntilItIsRotated()
    {
        using var data = new TempDirectory();
        await using var host = await StandaloneHost.StartAsync(data.Path);
        var api = host.Api;
        var admin = await api.AdminTokenAsync(StandaloneHost.AdminPassword);
        var (id, botToken) = await CreateBotAsync(api, admin, "direct", ["read", "post"], ["lobby"]);

        // No exchange: the bot token itself is the bearer token.
        using (var posted = await PostAsync(api, botToken, "lobby", "straight from the bot token"))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            var message = (await posted.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!;
            Assert.Equal(("bot", "direct"), (message["kind"]!.GetValue<string>(), message["authorName"]!.GetValue<string>()));
        }

        using (var outside = await PostAsync(api, botToken, "elsewhere", "not my room"))
        {
            Assert.Equal((403, "bot_room_not_allowed"), await ChatApiClient.ProblemAsync(outside));
        }

        await using (var mcp = await McpConnections.ConnectAsync(host.Address, botToken))
        {
            var posted = (await mcp.CallAsync("post_message", new { room = "lobby", text = "over MCP", idempotencyKey = "mcp-1" })).Structured();
            Assert.Equal("lobby", posted.GetProperty("room").GetString());
            var history = (await mcp.CallAsync("read_history", new { room = "lobby" })).Structured();
            Assert.Contains(history.GetProperty("messages").EnumerateArray(), m => m.GetProperty("text").GetString() == "over MCP" && m.GetProperty("authorKind").GetString() == "bot");
        }

        // Rotated: the old token is refused at once; so is a made-up one.
        using (var rotated = await api.SendAsync(HttpMethod.Post, $"/api/admin/bots/{id}/rotate", admin))
        {
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        }

        using (var old = await PostAsync(api, botToken, "lobby", "after the rotation"))
        {
            Assert.Equal((401, "unauthorized"), await ChatApiClient.ProblemAsync(old));
        }

        using var forged = await PostAsync(api, "cbt_" + new string('A', 43), "lobby", "forged");
        Assert.Equal((401, "unauthorized"), await ChatApiClient.ProblemAsync(forged));
    }

    internal static async Task<(string Id, string Token)> CreateBotAsync(ChatApiClient api, string admin, string name, string[] scopes, string[] rooms)
    {
        using var created = await api.SendAsync(HttpMethod.Post, "/api/admin/bots", admin, new { name, scopes, rooms });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!;
        return (body["bot"]!["id"]!.GetValue<string>(), body["token"]!.GetValue<string>());
    }

    internal static async Task<string> ExchangeAsync(ChatApiClient api, string botToken)
    {
        using var response = await api.SendAsync(HttpMethod.Post, "/api/auth/bot", null, new { token = botToken });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!["token"]!.GetValue<string>();
    }

    private static Task<HttpResponseMessage> PostAsync(ChatApiClient api, string token, string room, string text) =>
        api.SendAsync(HttpMethod.Post, $"/api/rooms/{room}/messages", token, new { text });
}
