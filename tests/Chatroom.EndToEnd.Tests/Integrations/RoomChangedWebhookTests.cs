using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;

namespace Chatroom.EndToEnd.Tests.Integrations;

/// <summary>
/// <c>room.changed</c> deliveries to a real receiver: a room's creation, settings, rules and deletion; a private room's
/// changes only to a subscription naming it (never to <c>*</c>), with its members joining and leaving.
/// </summary>
public sealed class RoomChangedWebhookTests
{
    [Fact]
    public async Task RoomChangesAreDelivered_AndAPrivateRoomsOnlyToSubscriptionsNamingIt()
    {
        using var data = new TempDirectory();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await StandaloneHost.StartAsync(data.Path, new Dictionary<string, string?>
        {
            ["Chatroom:Webhooks:AllowedNetworks:0"] = "127.0.0.0/8",
            ["Chatroom:Webhooks:PollInterval"] = "00:00:00.100",
            ["Chatroom:Accounts:RequireConfirmedEmail"] = "false",
        });
        var api = host.Api;
        var admin = await api.AdminTokenAsync(StandaloneHost.AdminPassword);
        var allId = await SubscribeAsync(api, admin, receiver, "/all", ["*"]);
        await SubscribeAsync(api, admin, receiver, "/hideout", ["hideout"]);

        await api.CreateRoomAsync(admin, "standup");
        using (var settings = await api.SendAsync(HttpMethod.Put, "/api/admin/rooms/standup/settings", admin, new { slowModeSeconds = 30, locked = true }))
        {
            Assert.True(settings.IsSuccessStatusCode);
        }

        using (var rules = await api.SendAsync(HttpMethod.Put, "/api/admin/rooms/standup/rules", admin, new { text = "Updates only." }))
        {
            Assert.True(rules.IsSuccessStatusCode);
        }

        using (var deleted = await api.SendAsync(HttpMethod.Delete, "/api/admin/rooms/standup", admin))
        {
            Assert.True(deleted.IsSuccessStatusCode);
        }

        var all = await WaitForChangesAsync(receiver, "/all", "standup", 4);
        Assert.Equal(["created", "settings", "rules", "deleted"], all.Select(c => c["change"]!.GetValue<string>()));
        Assert.True(all[1]["settings"]!["locked"]!.GetValue<bool>());
        Assert.Equal(30, all[1]["settings"]!["slowModeSeconds"]!.GetValue<int>());
        Assert.Null(all[3]["settings"]);
        Assert.All(receiver.Received.Where(r => r.Path == "/all"), r => Assert.True(r.SignatureValid));

        // A private room: its owner joins as it is made; an invitation is no membership yet, its removal is a leaving.
        var (_, owner) = await api.RegisterAccountAsync("owner_" + Guid.NewGuid().ToString("N")[..6], "correct horse battery");
        var (guestId, _) = await api.RegisterAccountAsync("guest_" + Guid.NewGuid().ToString("N")[..6], "correct horse battery");
        using (var created = await api.SendAsync(HttpMethod.Post, "/api/rooms", owner, new { name = "hideout", visibility = "private" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var invited = await api.SendAsync(HttpMethod.Post, $"/api/rooms/hideout/members/{guestId}", owner))
        {
            Assert.True(invited.IsSuccessStatusCode);
        }

        using (var removed = await api.SendAsync(HttpMethod.Delete, $"/api/rooms/hideout/members/{guestId}", owner))
        {
            Assert.True(removed.IsSuccessStatusCode);
        }

        // Made in the same request, the first two may share a timestamp: compared without order.
        var hideout = await WaitForChangesAsync(receiver, "/hideout", "hideout", 3);
        Assert.Equal(["created", "member_joined", "member_left"], hideout.Select(c => c["change"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(guestId, hideout.Single(c => c["change"]!.GetValue<string>() == "member_left")["userId"]!.GetValue<string>());
        Assert.All(hideout, c => Assert.Equal("private", c["settings"]!["visibility"]!.GetValue<string>()));

        // The catch-all subscription got nothing of it: its deliveries would have been recorded with the named one's.
        var allLog = await api.GetJsonArrayAsync($"/api/admin/webhooks/{allId}/deliveries", admin);
        Assert.Equal(4, allLog.Count);
        Assert.DoesNotContain(allLog, d => d!["payload"]!.GetValue<string>().Contains("hideout", StringComparison.Ordinal));
    }

    private static async Task<List<JsonNode>> WaitForChangesAsync(WebhookReceiver receiver, string path, string room, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var changes = receiver.Received.Where(r => r.Path == path)
                .DistinctBy(r => r.Id)
                .Select(r => JsonNode.Parse(r.Body)!)
                .Where(b => b["type"]!.GetValue<string>() == "room.changed" && b["data"]!["room"]!.GetValue<string>() == room)
                .OrderBy(b => b["timestamp"]!.GetValue<DateTimeOffset>())
                .Select(b => b["data"]!)
                .ToList();
            if (changes.Count >= count || DateTime.UtcNow > deadline)
            {
                return changes;
            }

            await Task.Delay(100);
        }
    }

    private static async Task<string> SubscribeAsync(ChatApiClient api, string admin, WebhookReceiver receiver, string path, string[] rooms)
    {
        using var response = await api.SendAsync(HttpMethod.Post, "/api/admin/webhooks", admin,
            new { url = new Uri(receiver.Address, path).ToString(), events = new[] { "room.changed" }, rooms });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!;
        receiver.Url(path, body["secret"]!.GetValue<string>());
        return body["webhook"]!["id"]!.GetValue<string>();
    }
}
