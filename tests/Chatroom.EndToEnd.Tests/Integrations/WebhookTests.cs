using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;

namespace Chatroom.EndToEnd.Tests.Integrations;

/// <summary>
/// Outgoing webhooks end to end: the standalone host creates deliveries from the analysis queue and sends them to a real
/// receiver on loopback that checks every signature; retries, dead letters, redelivery, 410, hanging, redirecting and
/// huge answers, the SSRF guard, the loop guard, and a delivery that outlives a restart. Waits are short (seconds) by
/// configuration, and every check waits for a condition.
/// </summary>
public sealed class WebhookTests
{
    private static Dictionary<string, string?> Settings(string timeout = "00:00:01") => new()
    {
        ["Chatroom:Webhooks:AllowedNetworks:0"] = "127.0.0.0/8",
        ["Chatroom:Webhooks:RetrySchedule:0"] = "00:00:00.200",
        ["Chatroom:Webhooks:RetrySchedule:1"] = "00:00:00.200",
        ["Chatroom:Webhooks:PollInterval"] = "00:00:00.100",
        ["Chatroom:Webhooks:Timeout"] = timeout,
    };

    /// <summary>The signing library against the Standard Webhooks specification's test vector (libraries/go/webhook_test.go).</summary>
    [Fact]
    public void SignaturesMatchTheSpecificationsTestVector() =>
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", new StandardWebhooks.StandardWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", DateTimeOffset.FromUnixTimeSeconds(1614265330), """{"test": 2432232314}"""));

    [Fact]
    public async Task DeliveriesAreSignedRetriedAndLogged_AndABotNeverHearsItsOwnMessages()
    {
        using var data = new TempDirectory();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await StandaloneHost.StartAsync(data.Path, Settings());
        var api = host.Api;
        var admin = await api.AdminTokenAsync(StandaloneHost.AdminPassword);
        var (botId, botToken) = await BotTests.CreateBotAsync(api, admin, "echo", ["read", "post", "events"], ["lobby"]);
        var bot = await BotTests.ExchangeAsync(api, botToken);

        var flaky = await SubscribeAsync(api, admin, receiver, "/flaky", ["lobby"], answer: n => WebhookAnswer.Status(n <= 2 ? 500 : 204));
        var owned = await SubscribeAsync(api, admin, receiver, "/bot", ["lobby"], botId: botId);

        using (var fromBot = await api.SendAsync(HttpMethod.Post, "/api/rooms/lobby/messages", bot, new { text = "beep from the bot" }))
        {
            Assert.Equal(HttpStatusCode.Created, fromBot.StatusCode);
        }

        var guest = await api.GuestTokenAsync("ana");
        using (var fromGuest = await api.SendAsync(HttpMethod.Post, "/api/rooms/lobby/messages", guest, new { text = "hello @echo" }))
        {
            Assert.Equal(HttpStatusCode.Created, fromGuest.StatusCode);
        }

        // The flaky receiver answers each delivery's first two tries with 500, then 204: three tries, one webhook-id, each correctly signed.
        var delivered = await receiver.WaitForAsync(r => r.Path == "/flaky" && r.Body.Contains("hello @echo", StringComparison.Ordinal)
            && r.Body.Contains("\"type\":\"message.created\"", StringComparison.Ordinal) && Tries(receiver, r.Id) == 3);
        Assert.All(receiver.Received.Where(r => r.Id == delivered.Id), r => Assert.True(r.SignatureValid));
        var body = JsonNode.Parse(delivered.Body)!;
        Assert.Equal("message.created", body["type"]!.GetValue<string>());
        Assert.Equal("user", body["data"]!["message"]!["kind"]!.GetValue<string>());
        var log = await WaitForDeliveryAsync(api, admin, flaky.Id, delivered.Id, d => d["status"]!.GetValue<string>() == "delivered");
        Assert.Equal(3, log["attempts"]!.GetValue<int>());
        Assert.Equal(204, log["lastStatusCode"]!.GetValue<int>());
        Assert.NotNull(log["lastLatencyMs"]);

        // The bot's message reached the other subscription as a bot's ...
        var botMessage = await receiver.WaitForAsync(r => r.Path == "/flaky" && r.Body.Contains("beep from the bot", StringComparison.Ordinal));
        Assert.Equal("bot", JsonNode.Parse(botMessage.Body)!["data"]!["message"]!["kind"]!.GetValue<string>());

        // ... and never the bot's own webhook, which gets the guest's message and its mention.
        await receiver.WaitForAsync(r => r.Path == "/bot" && r.Body.Contains("\"type\":\"mention\"", StringComparison.Ordinal));
        var ownLog = await GetArrayAsync(api, $"/api/admin/webhooks/{owned.Id}/deliveries", admin);
        Assert.DoesNotContain(ownLog, d => d!["payload"]!.GetValue<string>().Contains("beep from the bot", StringComparison.Ordinal));
        Assert.DoesNotContain(receiver.Received, r => r.Path == "/bot" && r.Body.Contains("beep from the bot", StringComparison.Ordinal));

        // A tampered body does not verify: the receiver's check is real.
        Assert.Throws<StandardWebhooks.Diagnostics.WebhookVerificationException>(() => new StandardWebhooks.StandardWebhook(flaky.Secret)
            .Verify(delivered.Body.Replace("hello", "HELLO", StringComparison.Ordinal), new Microsoft.AspNetCore.Http.HeaderDictionary
            {
                ["webhook-id"] = delivered.Id,
                ["webhook-timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["webhook-signature"] = "v1,AAAA",
            }));
    }

    [Fact]
    public async Task DeadLettersAreRedeliveredUnderTheSameId_410Disables_AndBadReceiversAndInsideAddressesAreContained()
    {
        using var data = new TempDirectory();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await StandaloneHost.StartAsync(data.Path, Settings());
        var api = host.Api;
        var admin = await api.AdminTokenAsync(StandaloneHost.AdminPassword);
        var refusing = await SubscribeAsync(api, admin, receiver, "/down", ["lobby"], answer: _ => WebhookAnswer.Status(503));
        var gone = await SubscribeAsync(api, admin, receiver, "/gone", ["lobby"], answer: _ => WebhookAnswer.Status(410));
        var hanging = await SubscribeAsync(api, admin, receiver, "/hang", ["lobby"], answer: _ => WebhookAnswer.Hang);
        var redirecting = await SubscribeAsync(api, admin, receiver, "/redirect", ["lobby"], answer: _ => WebhookAnswer.RedirectTo("http://169.254.169.254/latest/meta-data"));
        var huge = await SubscribeAsync(api, admin, receiver, "/huge", ["lobby"], answer: _ => WebhookAnswer.Huge);
        var inside = await CreateAsync(api, admin, "http://10.255.255.1:9/hook", ["lobby"], null);

        var guest = await api.GuestTokenAsync("ana");
        using (var posted = await api.SendAsync(HttpMethod.Post, "/api/rooms/lobby/messages", guest, new { text = "deploy finished" }))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        // One try and two retries, then the dead letters; the log says why.
        var dead = await WaitForDeliveryAsync(api, admin, refusing.Id, null, d => d["status"]!.GetValue<string>() == "dead");
        Assert.Equal(3, dead["attempts"]!.GetValue<int>());
        Assert.Equal(503, dead["lastStatusCode"]!.GetValue<int>());
        var deadId = dead["id"]!.GetValue<string>();
        Assert.Equal(3, Tries(receiver, deadId));

        // The receiver is back; an admin redelivers: the same webhook-id arrives again, and this time it is delivered.
        receiver.AnswerOn("/down", _ => WebhookAnswer.Status(200));
        using (var redeliver = await api.SendAsync(HttpMethod.Post, $"/api/admin/webhooks/{refusing.Id}/deliveries/{deadId}/redeliver", admin))
        {
            Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
        }

        await WaitForDeliveryAsync(api, admin, refusing.Id, deadId, d => d["status"]!.GetValue<string>() == "delivered");
        Assert.Equal(4, Tries(receiver, deadId));

        // 410 Gone disables the subscription at once: no retries, and redelivery is refused.
        var goneDelivery = await WaitForDeliveryAsync(api, admin, gone.Id, null, d => d["status"]!.GetValue<string>() == "dead");
        Assert.Equal(1, goneDelivery["attempts"]!.GetValue<int>());
        var webhooks = await GetArrayAsync(api, "/api/admin/webhooks", admin);
        Assert.False(webhooks.Single(w => w!["id"]!.GetValue<string>() == gone.Id)!["enabled"]!.GetValue<bool>());
        using (var refused = await api.SendAsync(HttpMethod.Post, $"/api/admin/webhooks/{gone.Id}/deliveries/{goneDelivery["id"]!.GetValue<string>()}/redeliver", admin))
        {
            Assert.Equal((409, "webhook_disabled"), await ChatApiClient.ProblemAsync(refused));
        }

        // A hanging receiver times out, a redirect is not followed, a 10 MB answer is read only up to the cap.
        var hung = await WaitForDeliveryAsync(api, admin, hanging.Id, null, d => d["attempts"]!.GetValue<int>() >= 1);
        Assert.Contains("no answer within 1 s", hung["lastError"]!.GetValue<string>());
        var redirected = await WaitForDeliveryAsync(api, admin, redirecting.Id, null, d => d["attempts"]!.GetValue<int>() >= 1);
        Assert.Contains("redirects are not followed", redirected["lastError"]!.GetValue<string>());
        Assert.Equal(302, redirected["lastStatusCode"]!.GetValue<int>());
        await WaitForDeliveryAsync(api, admin, huge.Id, null, d => d["status"]!.GetValue<string>() == "delivered");

        // A private address outside the allowed networks is never connected to.
        var blocked = await WaitForDeliveryAsync(api, admin, inside.Id, null, d => d["attempts"]!.GetValue<int>() >= 1);
        Assert.Contains("may not reach", blocked["lastError"]!.GetValue<string>());

        // Chat went on for everyone meanwhile.
        var history = await api.GetJsonAsync("/api/rooms/lobby/messages", guest);
        Assert.Contains(history["messages"]!.AsArray(), m => m!["text"]!.GetValue<string>() == "deploy finished");
    }

    [Fact]
    public async Task AHangingReceiverHoldsOnlyItsShareOfTheSendingSlots_AndTheOthersKeepGettingTheirs()
    {
        using var data = new TempDirectory();
        await using var receiver = await WebhookReceiver.StartAsync();
        // Three slots, one per subscription; the hanging receiver is given a minute before a try fails, longer than the test.
        var settings = Settings(timeout: "00:01:00");
        settings["Chatroom:Webhooks:Concurrency"] = "3";
        settings["Chatroom:Webhooks:ConcurrencyPerSubscription"] = "1";
        await using var host = await StandaloneHost.StartAsync(data.Path, settings);
        var api = host.Api;
        var admin = await api.AdminTokenAsync(StandaloneHost.AdminPassword);
        await SubscribeAsync(api, admin, receiver, "/hang", ["lobby"], answer: _ => WebhookAnswer.Hang);
        await SubscribeAsync(api, admin, receiver, "/fast", ["lobby"]);

        var texts = new[] { "first", "second", "third", "fourth" };
        foreach (var (text, i) in texts.Select((t, i) => (t, i)))
        {
            var guest = await api.GuestTokenAsync($"poster{i}");
            using var posted = await api.SendAsync(HttpMethod.Post, "/api/rooms/lobby/messages", guest, new { text });
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        await receiver.WaitForAsync(r => r.Path == "/hang", TimeSpan.FromSeconds(45));

        // Every message reaches the fast receiver while the hanging one still holds its single delivery: without the
        // share, its four deliveries would take all three slots and the fast ones would wait out a minute's timeout each.
        foreach (var text in texts)
        {
            await receiver.WaitForAsync(r => r.Path == "/fast" && r.Body.Contains($"\"text\":\"{text}\"", StringComparison.Ordinal), TimeSpan.FromSeconds(45));
        }

        Assert.Single(receiver.Received, r => r.Path == "/hang");
        var metrics = await api.Http.GetStringAsync("/metrics");
        Assert.Contains("chatroom_webhook_deliveries_deferred_total", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADeliveryWaitingForItsRetrySurvivesARestart()
    {
        using var data = new TempDirectory();
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = Settings();
        settings["Chatroom:Webhooks:RetrySchedule:0"] = "00:00:02";
        string id;
        string subscription;
        await using (var first = await StandaloneHost.StartAsync(data.Path, settings))
        {
            var admin = await first.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
            subscription = (await SubscribeAsync(first.Api, admin, receiver, "/later", ["lobby"], answer: n => WebhookAnswer.Status(n == 1 ? 500 : 204))).Id;
            var guest = await first.Api.GuestTokenAsync("ana");
            using var posted = await first.Api.SendAsync(HttpMethod.Post, "/api/rooms/lobby/messages", guest, new { text = "before the restart" });
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            var waiting = await WaitForDeliveryAsync(first.Api, admin, subscription, null, d => d["attempts"]!.GetValue<int>() == 1);
            Assert.Equal("pending", waiting["status"]!.GetValue<string>());
            id = waiting["id"]!.GetValue<string>();
        }

        await using var second = await StandaloneHost.StartAsync(data.Path, settings);
        var delivered = await receiver.WaitForAsync(r => r.Id == id && Tries(receiver, id) == 2);
        Assert.True(delivered.SignatureValid);
        var adminAgain = await second.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
        await WaitForDeliveryAsync(second.Api, adminAgain, subscription, id, d => d["status"]!.GetValue<string>() == "delivered");
    }

    [Fact]
    public async Task ARotatedSecretSignsTheNextDeliveries_AndADeletedWebhookGetsNothingMore()
    {
        using var data = new TempDirectory();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await StandaloneHost.StartAsync(data.Path, Settings());
        var api = host.Api;
        var admin = await api.AdminTokenAsync(StandaloneHost.AdminPassword);
        var guest = await api.GuestTokenAsync("ana");
        var (id, oldSecret) = await SubscribeAsync(api, admin, receiver, "/rotating", ["lobby"]);

        using (var rotate = await api.SendAsync(HttpMethod.Post, $"/api/admin/webhooks/{id}/rotate", admin))
        {
            Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
            var rotated = (await rotate.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!;
            var newSecret = rotated["secret"]!.GetValue<string>();
            Assert.NotEqual(oldSecret, newSecret);
            Assert.Equal(id, rotated["webhook"]!["id"]!.GetValue<string>());
            receiver.Url("/rotating", newSecret);
        }

        using (var posted = await api.SendAsync(HttpMethod.Post, "/api/rooms/lobby/messages", guest, new { text = "after the rotation" }))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        var signed = await receiver.WaitForAsync(r => r.Path == "/rotating" && r.Body.Contains("after the rotation", StringComparison.Ordinal));
        Assert.True(signed.SignatureValid);

        using (var deleted = await api.SendAsync(HttpMethod.Delete, $"/api/admin/webhooks/{id}", admin))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.DoesNotContain(await GetArrayAsync(api, "/api/admin/webhooks", admin), w => w!["id"]!.GetValue<string>() == id);
        using (var gone = await api.SendAsync(HttpMethod.Get, $"/api/admin/webhooks/{id}/deliveries", admin))
        {
            Assert.Equal((404, "not_found"), await ChatApiClient.ProblemAsync(gone));
        }

        using (var again = await api.SendAsync(HttpMethod.Delete, $"/api/admin/webhooks/{id}", admin))
        {
            Assert.Equal((404, "not_found"), await ChatApiClient.ProblemAsync(again));
        }

        // Nothing is made for it any more: a second subscription made afterwards hears the next message, the deleted one not.
        await SubscribeAsync(api, admin, receiver, "/after", ["lobby"]);
        using (var posted = await api.SendAsync(HttpMethod.Post, "/api/rooms/lobby/messages", guest, new { text = "after the deletion" }))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        await receiver.WaitForAsync(r => r.Path == "/after" && r.Body.Contains("after the deletion", StringComparison.Ordinal));
        Assert.DoesNotContain(receiver.Received, r => r.Path == "/rotating" && r.Body.Contains("after the deletion", StringComparison.Ordinal));
    }

    private static async Task<JsonArray> GetArrayAsync(ChatApiClient api, string path, string token)
    {
        using var response = await api.SendAsync(HttpMethod.Get, path, token);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonArray>(ChatApiClient.Json))!;
    }

    private static int Tries(WebhookReceiver receiver, string id) => receiver.Received.Count(r => r.Id == id);

    private static async Task<(string Id, string Secret)> SubscribeAsync(
        ChatApiClient api, string admin, WebhookReceiver receiver, string path, string[] rooms, Func<int, WebhookAnswer>? answer = null, string? botId = null)
    {
        // The secret is known only once the subscription exists; the receiver learns it before any delivery can be due.
        var created = await CreateAsync(api, admin, new Uri(receiver.Address, path).ToString(), rooms, botId);
        receiver.Url(path, created.Secret, answer);
        return created;
    }

    private static async Task<(string Id, string Secret)> CreateAsync(ChatApiClient api, string admin, string url, string[] rooms, string? botId)
    {
        using var response = await api.SendAsync(HttpMethod.Post, "/api/admin/webhooks", admin,
            new { url, events = new[] { "message.created", "mention", "flag.raised" }, rooms, botId });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!;
        Assert.StartsWith("whsec_", body["secret"]!.GetValue<string>());
        return (body["webhook"]!["id"]!.GetValue<string>(), body["secret"]!.GetValue<string>());
    }

    /// <summary>Polls the delivery log until a delivery (this id, or any) matches.</summary>
    private static async Task<JsonNode> WaitForDeliveryAsync(ChatApiClient api, string admin, string subscription, string? id, Func<JsonNode, bool> match)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        JsonArray last = [];
        while (DateTime.UtcNow < deadline)
        {
            last = await GetArrayAsync(api, $"/api/admin/webhooks/{subscription}/deliveries", admin);
            if (last.FirstOrDefault(d => d is not null && (id is null || d["id"]!.GetValue<string>() == id) && match(d)) is { } found)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"no matching delivery of {subscription}: {last.ToJsonString()}");
    }
}
