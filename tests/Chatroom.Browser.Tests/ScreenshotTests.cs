using System.Globalization;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.SignalR;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chatroom.Browser.Tests;

/// <summary>
/// Renders the chat and admin views with a little life in them and saves them as PNGs. They go to
/// docs/screenshots/ when CHATROOM_SCREENSHOTS=1 (see docs/web.md), otherwise to a temp folder, so a
/// normal test run checks the views render without touching the work tree.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScreenshotTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly TempDirectory _data = new("chatroom-browser");
    private readonly TempDirectory _shots = new("chatroom-shots");
    private StandaloneHost _host = null!;

    public async Task InitializeAsync() => _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
    {
        ["Chatroom:Analysis:Rooms:lobby:Action"] = "Hide",
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
        _shots.Dispose();
    }

    [Fact(Timeout = 45_000)]
    public async Task ChatAndAdminViewsRenderForTheDocs()
    {
        var folder = Environment.GetEnvironmentVariable("CHATROOM_SCREENSHOTS") == "1" ? Ui.ScreenshotsFolder() : _shots.Path;
        Directory.CreateDirectory(folder);

        var token = await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
        await _host.Api.CreateRoomAsync(token, "design-review");
        await _host.Api.CreateRoomAsync(token, "random");

        await using var bo = await _host.Api.ConnectAsync("Bo");
        await using var chen = await _host.Api.ConnectAsync("Chen");
        await using var mallory = await _host.Api.ConnectAsync("Mallory");
        foreach (var client in new[] { bo, chen, mallory })
        {
            await client.InvokeAsync("JoinRoom", "lobby", null);
            await client.InvokeAsync("JoinRoom", "random", null);
        }

        var ana = await browser.NewPageAsync(1280, 800);
        // Ana has been in #random too, so what arrives there while she reads #lobby counts as unread.
        await ana.SignInAsync(_host, "Ana", "/rooms/random");
        await ana.Locator("[data-testid=room-item][data-room=lobby]").ClickAsync();
        await Expect(ana.TestId("room-title")).ToHaveTextAsync("# lobby");
        await Say(bo, "lobby", "Morning all! Has anyone tried the new build?");
        await Say(chen, "lobby", "Yes, release notes are at https://example.org/releases/2.4 and the upgrade took two minutes.");
        await ana.SendAsync("Nice. I'll roll it out to the staging rooms after lunch.");
        await Say(bo, "lobby", "Great, ping me if the reconnect banner ever shows up.\nIt should only flash for a second.");
        await _host.Api.SendAsync(HttpMethod.Post, "/api/admin/broadcast", token, new { text = "Scheduled maintenance tonight at 22:00 UTC, about 5 minutes." });
        await Say(mallory, "lobby", Ui.Abuse);
        await Say(mallory, "lobby", "nobody wants you here, you stupid worthless idiot");
        await Say(chen, "lobby", "Let's keep it friendly, please.");
        await Say(bo, "random", "Lunch poll: tacos or ramen?");
        await Say(chen, "random", "ramen, obviously");

        await Expect(ana.Locator("[data-testid=message][data-hidden=true]").First).ToBeVisibleAsync();
        await Expect(ana.Locator("[data-testid=room-item][data-room=random] [data-testid=unread-badge]")).ToHaveTextAsync("3");
        await bo.InvokeAsync("Typing", "lobby");
        await Expect(ana.TestId("typing-indicator")).ToHaveTextAsync("Bo is typing…");
        await ana.ScreenshotAsync(new() { Path = Path.Combine(folder, "chat-desktop.png") });

        var phone = await browser.NewPageAsync(390, 844);
        await phone.SignInAsync(_host, "Dana");
        await Expect(phone.Message("Let's keep it friendly, please.")).ToBeVisibleAsync();
        await phone.ScreenshotAsync(new() { Path = Path.Combine(folder, "chat-phone.png") });
        await phone.TestId("menu-toggle").ClickAsync();
        await Expect(phone.TestId("sidebar")).ToBeInViewportAsync();
        await phone.ScreenshotAsync(new() { Path = Path.Combine(folder, "chat-phone-rooms.png") });

        var admin = await browser.NewPageAsync(1360, 1180);
        await admin.AdminSignInAsync(_host);
        var happy = (await bo.InvokeAsync("SendMessage", "lobby", "Thanks everyone, this was a really happy release day!", Guid.NewGuid().ToString("N")))
            .GetProperty("id").GetInt64();
        // The feed opens with the recent verdicts (the conversation above), and the live one lands on top, once.
        var verdicts = admin.Locator("[data-testid=verdict]");
        await Expect(verdicts.First).ToHaveAttributeAsync("data-message-id", happy.ToString(CultureInfo.InvariantCulture));
        await Expect(admin.Locator($"[data-testid=verdict][data-message-id='{happy}']")).ToHaveCountAsync(1);
        Assert.True(await verdicts.CountAsync() > 1, "the feed shows the verdicts from before the page opened");
        await Expect(admin.Locator("[data-testid=room-health][data-room=lobby] [data-testid=room-unsafe]")).Not.ToHaveTextAsync("–");
        await admin.ScreenshotAsync(new() { Path = Path.Combine(folder, "admin-dashboard.png") });

        await admin.TestId("nav-queue").ClickAsync();
        await Expect(admin.TestId("flag").First).ToBeVisibleAsync();
        await admin.TestId("flag").First.GetByTestId("flag-reason").FillAsync("harassment, second warning");
        await admin.ScreenshotAsync(new() { Path = Path.Combine(folder, "admin-review-queue.png") });

        await admin.TestId("nav-agents").ClickAsync();
        await admin.TestId("agent-new").ClickAsync();
        await admin.TestId("agent-name").FillAsync("librarian");
        await admin.TestId("agent-description").FillAsync("Finds answers in the knowledge base.");
        await admin.TestId("agent-maxTokens").FillAsync("100000");
        await admin.TestId("agent-save").ClickAsync();
        await Expect(admin.Locator("[data-testid=field-error][data-field='/limits/maxTokens']")).Not.ToBeEmptyAsync();
        await admin.Locator("#admin-main").EvaluateAsync("el => el.scrollTo({ top: 0 })");
        await admin.ScreenshotAsync(new() { Path = Path.Combine(folder, "admin-agents.png") });

        foreach (var name in new[] { "chat-desktop", "chat-phone", "chat-phone-rooms", "admin-dashboard", "admin-review-queue", "admin-agents" })
        {
            Assert.True(new FileInfo(Path.Combine(folder, name + ".png")).Length > 10_000, name);
        }
    }

    private static Task Say(HubClient client, string room, string text) =>
        client.InvokeAsync("SendMessage", room, text, Guid.NewGuid().ToString("N"));
}
