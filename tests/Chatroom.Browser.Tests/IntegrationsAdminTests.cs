using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;
using static Microsoft.Playwright.Assertions;

namespace Chatroom.Browser.Tests;

/// <summary>The admin console's Bots and Webhooks pages: an admin makes a bot and a webhook, and what they were shown works.</summary>
[Collection(BrowserCollection.Name)]
public sealed class IntegrationsAdminTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly TempDirectory _data = new("chatroom-browser");
    private StandaloneHost _host = null!;

    public async Task InitializeAsync() => _host = await StandaloneHost.StartAsync(_data.Path);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact(Timeout = Ui.TestTimeoutMs * 2)]
    public async Task AnAdminCreatesABotAndAWebhook_TheTokenPostsAndTheDeliveryLogShows()
    {
        var admin = await browser.NewPageAsync();
        await admin.AdminSignInAsync(_host, "/admin/bots");

        await admin.TestId("bot-name").FillAsync("ci");
        await admin.TestId("bot-rooms").FillAsync("lobby");
        await admin.TestId("bot-create").ClickAsync();
        await Expect(admin.TestId("bot-token-value")).ToContainTextAsync("cbt_");
        await Expect(admin.Locator("[data-testid=bot-row][data-name=ci]")).ToBeVisibleAsync();
        var token = (await admin.TestId("bot-token-value").TextContentAsync())!;

        // The token shown once is the bot's: it buys an access token, and the bot posts with it.
        using (var exchange = await _host.Api.Http.PostAsJsonAsync("/api/auth/bot", new { token }))
        {
            Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
            var access = (await exchange.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!["token"]!.GetValue<string>();
            using var posted = await _host.Api.SendAsync(HttpMethod.Post, "/api/rooms/lobby/messages", access, new { text = "build 812 passed" });
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        await admin.TestId("nav-webhooks").ClickAsync();
        await admin.TestId("webhook-url").FillAsync("https://hooks.example.com/chat-events");
        await admin.TestId("webhook-rooms").FillAsync("*");
        await admin.TestId("webhook-create").ClickAsync();
        await Expect(admin.TestId("webhook-secret-value")).ToContainTextAsync("whsec_");
        await Expect(admin.TestId("webhook-row")).ToHaveCountAsync(1);
        var id = (await admin.TestId("webhook-row").GetAttributeAsync("data-webhook"))!;

        // A message after the subscription becomes a delivery (the receiver's name does not resolve here: it is retried).
        var guest = await _host.Api.GuestTokenAsync("ana");
        using (var posted = await _host.Api.SendAsync(HttpMethod.Post, "/api/rooms/lobby/messages", guest, new { text = "deploy finished" }))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        var adminToken = await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await _host.Api.GetJsonArrayAsync($"/api/admin/webhooks/{id}/deliveries", adminToken)).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await admin.TestId("webhook-deliveries").ClickAsync();
        await Expect(admin.TestId("delivery-log")).ToContainTextAsync("Deliveries to https://hooks.example.com/chat-events");
        // The guest's message (and whatever answered it: an agent's reply is a message too).
        await Expect(admin.TestId("delivery-row").First).ToContainTextAsync("message.created");
        await Expect(admin.TestId("dead-count")).ToHaveTextAsync("0 dead letters");
    }
}
