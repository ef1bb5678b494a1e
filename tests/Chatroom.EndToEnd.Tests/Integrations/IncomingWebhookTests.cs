using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;

namespace Chatroom.EndToEnd.Tests.Integrations;

/// <summary><c>POST /hooks/{id}/{secret}</c>: posts into its one room as a webhook, refuses wrong secrets alike, is rate-limited and can be deleted.</summary>
public sealed class IncomingWebhookTests
{
    [Fact]
    public async Task AnIncomingWebhookPostsIntoItsRoomAsAWebhook_UnderLimits_UntilDeleted()
    {
        using var data = new TempDirectory();
        await using var host = await StandaloneHost.StartAsync(data.Path, new Dictionary<string, string?>
        {
            ["Chatroom:Chat:UserMessagesPerSecond"] = "0.01",
            ["Chatroom:Chat:UserBurst"] = "2",
        });
        var api = host.Api;
        var admin = await api.AdminTokenAsync(StandaloneHost.AdminPassword);
        await api.CreateRoomAsync(admin, "alerts");

        using var created = await api.SendAsync(HttpMethod.Post, "/api/admin/webhooks/incoming", admin, new { name = "grafana", room = "alerts" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!;
        var path = body["path"]!.GetValue<string>();
        var id = body["webhook"]!["id"]!.GetValue<string>();
        Assert.StartsWith($"/hooks/{id}/", path);

        await using var watcher = await api.ConnectAsync("watcher");
        await watcher.InvokeAsync("JoinRoom", "alerts", null);
        using (var posted = await api.SendAsync(HttpMethod.Post, path, null, new { text = "disk 91 % full on db-1" }))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            var message = (await posted.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!;
            Assert.Equal("webhook", message["kind"]!.GetValue<string>());
            Assert.Equal("alerts", message["room"]!.GetValue<string>());
            var live = await watcher.WaitForEventAsync("message", e => e.GetProperty("id").GetInt64() == message["id"]!.GetValue<long>());
            Assert.Equal("grafana", live.GetProperty("authorName").GetString());
            Assert.Equal("webhook", live.GetProperty("kind").GetString());
        }

        var wrongSecret = path[..path.LastIndexOf('/')] + "/" + new string('0', 48);
        using (var forged = await api.SendAsync(HttpMethod.Post, wrongSecret, null, new { text = "forged" }))
        {
            Assert.Equal((404, "not_found"), await ChatApiClient.ProblemAsync(forged));
        }

        using (var unknown = await api.SendAsync(HttpMethod.Post, "/hooks/ffffffffffffffff/abc", null, new { text = "who?" }))
        {
            Assert.Equal((404, "not_found"), await ChatApiClient.ProblemAsync(unknown));
        }

        using (var empty = await api.SendAsync(HttpMethod.Post, path, null, new { text = " " }))
        {
            Assert.Equal((400, "empty_text"), await ChatApiClient.ProblemAsync(empty));
        }

        // The webhook's budget: two at once (the empty text took one), then it waits and is told how long.
        using (var second = await api.SendAsync(HttpMethod.Post, path, null, new { text = "disk 95 %" }))
        {
            Assert.Equal((429, "rate_limited"), await ChatApiClient.ProblemAsync(second));
            Assert.InRange(second.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 100);
        }

        using (var deleted = await api.SendAsync(HttpMethod.Delete, $"/api/admin/webhooks/incoming/{id}", admin))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using var afterDelete = await api.SendAsync(HttpMethod.Post, path, null, new { text = "still there?" });
        Assert.Equal((404, "not_found"), await ChatApiClient.ProblemAsync(afterDelete));
    }
}
