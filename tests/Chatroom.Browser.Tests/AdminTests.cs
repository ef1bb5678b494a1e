using Chatroom.Testing.Hosting;
using static Microsoft.Playwright.Assertions;

namespace Chatroom.Browser.Tests;

/// <summary>The admin console: live dashboard, broadcast, room controls, agents and the audit log.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly TempDirectory _data = new("chatroom-browser");
    private StandaloneHost _host = null!;

    public async Task InitializeAsync() => _host = await StandaloneHost.StartAsync(_data.Path);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact(Timeout = Ui.TestTimeoutMs)]
    public async Task TheAdminSignsInWithThePasswordAndAWrongOneIsRefused()
    {
        var admin = await browser.NewPageAsync();
        await admin.GotoAsync(_host.Url("/admin"));
        await admin.TestId("admin-password").FillAsync("not the password");
        await admin.TestId("admin-sign-in").ClickAsync();
        await Expect(admin.TestId("admin-signin-error")).ToContainTextAsync("That password is not right");
        await admin.AdminSignInAsync(_host);
        await Expect(admin.TestId("dashboard")).ToBeVisibleAsync();
    }

    [Fact(Timeout = Ui.TestTimeoutMs)]
    public async Task TheDashboardShowsKpisChartsAndVerdictsLive()
    {
        var ana = await browser.NewPageAsync();
        await ana.SignInAsync(_host, "Ana");
        var admin = await browser.NewPageAsync();
        await admin.AdminSignInAsync(_host);

        await Expect(admin.TestId("kpi-rooms-value")).ToHaveTextAsync("1");
        await Expect(admin.TestId("kpi-users-value")).ToHaveTextAsync("1");
        await Expect(admin.TestId("kpi-llm-tokens-value")).ToHaveTextAsync("n/a");
        await Expect(admin.TestId("chart-activity")).ToBeVisibleAsync();
        await Expect(admin.TestId("chart-mood")).ToBeVisibleAsync();

        await ana.SendAsync("what a lovely day, thanks everyone!");
        await ana.SendAsync(Ui.Abuse);
        await Expect(admin.Locator("[data-testid=verdict][data-safety=unsafe]")).ToHaveCountAsync(1);
        await Expect(admin.Locator("[data-testid=verdict][data-safety=safe]")).ToHaveCountAsync(1);
        await Expect(admin.TestId("kpi-messages-per-minute-value")).Not.ToHaveTextAsync("0");
        await Expect(admin.Locator("[data-testid=room-health][data-room=lobby] [data-testid=room-unsafe]")).ToHaveTextAsync("1 (50%)");
        await Expect(admin.TestId("queue-count")).ToHaveTextAsync("1");
    }

    [Fact(Timeout = Ui.TestTimeoutMs)]
    public async Task TheDashboardOpensWithTheLatestVerdictsAndAddsLiveOnesOnce()
    {
        await using var ana = await _host.Api.ConnectAsync("Ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        await ana.InvokeAsync("SendMessage", "lobby", "what a lovely day, thanks everyone!", "before-1");
        await ana.InvokeAsync("SendMessage", "lobby", Ui.Abuse, "before-2");
        await WaitForStoredVerdictsAsync(2);

        var admin = await browser.NewPageAsync();
        await admin.AdminSignInAsync(_host);
        var feed = admin.TestId("verdict");
        await Expect(feed).ToHaveCountAsync(2);
        await Expect(feed.First).ToHaveAttributeAsync("data-safety", "unsafe");
        await Expect(feed.First).ToContainTextAsync("Ana");
        await Expect(feed.First).ToContainTextAsync("flagged for review");
        await Expect(feed.Nth(1)).ToHaveAttributeAsync("data-safety", "safe");

        var id = (await ana.InvokeAsync("SendMessage", "lobby", "see you all tomorrow", "after-1")).GetProperty("id").GetInt64();
        await Expect(feed.First).ToHaveAttributeAsync("data-message-id", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(feed).ToHaveCountAsync(3);

        // Opening the dashboard again reads the same verdicts back: still one line per message.
        await admin.TestId("nav-audit").ClickAsync();
        await admin.TestId("nav-dashboard").ClickAsync();
        await Expect(admin.TestId("dashboard")).ToBeVisibleAsync();
        await Expect(feed).ToHaveCountAsync(3);
    }

    [Fact(Timeout = 45_000)]
    public async Task WithoutAModelTheAdminSeesWhichKeyToSetAndChatUsersGetPlainWords()
    {
        var admin = await browser.NewPageAsync();
        await admin.AdminSignInAsync(_host);
        var reasoning = admin.Locator("[data-testid=model-hint][data-model=reasoning-model]");
        await Expect(reasoning).ToContainTextAsync("Not configured.");
        await Expect(reasoning).ToContainTextAsync("ConnectionStrings__reasoning-model=Endpoint=");
        await Expect(admin.Locator("[data-testid=model-hint][data-model=analysis-model]")).ToContainTextAsync("ConnectionStrings__analysis-model=Endpoint=");

        var ana = await browser.NewPageAsync();
        await ana.SignInAsync(_host, "Ana");
        await ana.SendAsync("@assistant what is the capital of France?");
        var reply = ana.Locator("[data-testid=message][data-kind=agent]");
        // The first agent run of a fresh host loads the local sentence-embedding model: more than the default wait on a loaded machine.
        await Expect(reply).ToHaveCountAsync(1, new() { Timeout = 25_000 });
        await Expect(reply).Not.ToContainTextAsync("ConnectionStrings");
        await Expect(ana.Locator("body")).Not.ToContainTextAsync("ConnectionStrings");
    }

    [Fact(Timeout = Ui.TestTimeoutMs)]
    public async Task AnEmptyAuditLogSaysSoOnceThenListsEntries()
    {
        var admin = await browser.NewPageAsync();
        await admin.AdminSignInAsync(_host, "/admin/audit");
        var audit = admin.TestId("audit");
        await Expect(audit.GetByText("Nothing yet.")).ToBeVisibleAsync();
        await Expect(audit.GetByText("Nothing yet.")).ToHaveCountAsync(1);
        await Expect(audit.Locator("table")).ToBeHiddenAsync();
        await Expect(audit.GetByText("Reason", new() { Exact = true })).ToBeHiddenAsync();

        var token = await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
        using var sent = await _host.Api.SendAsync(HttpMethod.Post, "/api/admin/broadcast", token, new { text = "Back in five minutes" });
        sent.EnsureSuccessStatusCode();
        await audit.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        await Expect(admin.Locator("[data-testid=audit-row][data-action=broadcast]")).ToContainTextAsync("Back in five minutes");
        await Expect(audit.Locator("table")).ToBeVisibleAsync();
        await Expect(audit.GetByText("Nothing yet.")).ToHaveCountAsync(0);
    }

    [Fact(Timeout = Ui.TestTimeoutMs)]
    public async Task ABroadcastReachesPeopleInTheChatAndIsAudited()
    {
        var bo = await browser.NewPageAsync();
        await bo.SignInAsync(_host, "Bo");
        var admin = await browser.NewPageAsync();
        await admin.AdminSignInAsync(_host);

        await admin.TestId("broadcast-text").FillAsync("Maintenance at 18:00 <b>UTC</b>");
        await admin.TestId("broadcast-send").ClickAsync();
        await Expect(admin.TestId("broadcast-result")).ToHaveTextAsync("Sent to 1 room.");

        var notice = bo.Locator("[data-testid=message][data-kind=system]");
        await Expect(notice.GetByTestId("message-text")).ToHaveTextAsync("Maintenance at 18:00 <b>UTC</b>");

        await admin.TestId("nav-audit").ClickAsync();
        await Expect(admin.Locator("[data-testid=audit-row][data-action=broadcast]")).ToContainTextAsync("Maintenance at 18:00 <b>UTC</b>");
    }

    [Fact(Timeout = Ui.TestTimeoutMs)]
    public async Task LockingAndSlowModeAreExplainedToPeopleInTheRoom()
    {
        var admin = await browser.NewPageAsync();
        await admin.AdminSignInAsync(_host, "/admin/rooms");
        var lobby = admin.Locator("[data-testid=room-row][data-room=lobby]");
        await Expect(lobby.GetByTestId("delete-room")).ToBeDisabledAsync();
        await lobby.GetByTestId("lock-toggle").ClickAsync();
        await Expect(lobby.GetByTestId("room-status")).ToHaveTextAsync("Locked: only admins can post.");

        var ana = await browser.NewPageAsync();
        await ana.SignInAsync(_host, "Ana");
        await Expect(ana.TestId("room-rules")).ToContainTextAsync("This room is locked");
        await ana.SendAsync("hello?");
        await Expect(ana.TestId("composer-error")).ToContainTextAsync("Room locked: ");

        await lobby.GetByTestId("lock-toggle").ClickAsync();
        await Expect(lobby.GetByTestId("room-status")).ToHaveTextAsync("Unlocked.");
        await lobby.GetByTestId("slow-mode-input").FillAsync("30");
        await lobby.GetByTestId("slow-mode-apply").ClickAsync();
        await Expect(lobby.GetByTestId("room-status")).ToHaveTextAsync("Slow mode: 30 s.");

        await ana.Locator("[data-testid=retry-button]").ClickAsync();
        await Expect(ana.Message("hello?")).ToBeVisibleAsync();
        await ana.SendAsync("and again");
        await Expect(ana.TestId("composer-error")).ToContainTextAsync("Slow mode is on");
        await Expect(ana.TestId("room-rules")).ToContainTextAsync("Slow mode: one message every 30 s.");
    }

    [Fact(Timeout = Ui.TestTimeoutMs)]
    public async Task ARoomCanBeDeletedAfterConfirming()
    {
        var token = await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
        await _host.Api.CreateRoomAsync(token, "old-stuff");
        var admin = await browser.NewPageAsync();
        await admin.AdminSignInAsync(_host, "/admin/rooms");
        var row = admin.Locator("[data-testid=room-row][data-room=old-stuff]");
        await row.GetByTestId("delete-room").ClickAsync();
        await Expect(row.GetByTestId("delete-room")).ToHaveTextAsync("Really delete?");
        await row.GetByTestId("delete-room").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        Assert.DoesNotContain("\"old-stuff\"", await RoomNamesAsync(token));
    }

    [Fact(Timeout = Ui.TestTimeoutMs)]
    public async Task AnInvalidAgentDefinitionShowsItsErrorsBesideTheFields()
    {
        var admin = await browser.NewPageAsync();
        await admin.AdminSignInAsync(_host, "/admin/agents");
        await admin.TestId("agent-new").ClickAsync();
        await admin.TestId("agent-name").FillAsync("Helper!");
        await admin.TestId("agent-maxTokens").FillAsync("999999");
        await admin.TestId("agent-save").ClickAsync();

        await Expect(admin.Locator("[data-testid=field-error][data-field='/limits/maxTokens']")).Not.ToBeEmptyAsync();
        await Expect(admin.Locator("[data-testid=field-error][data-field='/name']")).Not.ToBeEmptyAsync();

        await admin.TestId("agent-name").FillAsync("helper");
        await admin.TestId("agent-maxTokens").FillAsync("256");
        await admin.TestId("agent-description").FillAsync("Answers questions about the house rules.");
        await admin.TestId("agent-save").ClickAsync();
        await Expect(admin.TestId("agent-status")).ToHaveTextAsync("Saved @helper.");
        await Expect(admin.Locator("[data-testid=field-error]:not(:empty)")).ToHaveCountAsync(0);
        await Expect(admin.Locator("[data-testid=agent-item][data-agent=helper]")).ToContainTextAsync("house rules");
    }

    [Fact(Timeout = Ui.TestTimeoutMs)]
    public async Task TheAgentsPageFollowsAnAgentsRunsLive()
    {
        var admin = await browser.NewPageAsync();
        await admin.AdminSignInAsync(_host, "/admin/agents");
        await admin.Locator("[data-testid=agent-item][data-agent=concierge]").ClickAsync();
        await Expect(admin.TestId("agent-feed")).ToContainTextAsync("Following @concierge live");

        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        await ana.InvokeAsync("SendMessage", "lobby", "@concierge list rooms", "feed-1");

        await Expect(admin.Locator("[data-testid=agent-event].agent-event-trigger")).ToContainTextAsync("mention");
        await Expect(admin.Locator("[data-testid=agent-event].agent-event-reply")).ToContainTextAsync("latencyMs");
        await Expect(admin.Locator("[data-testid=agent-event].agent-event-reply .agent-event-room")).ToHaveTextAsync("#lobby");
    }

    /// <summary>Waits until the analysis has stored this many verdicts, so the dashboard opens after them.</summary>
    private async Task WaitForStoredVerdictsAsync(int count)
    {
        var token = await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var response = await _host.Api.SendAsync(HttpMethod.Get, "/api/admin/verdicts", token);
            response.EnsureSuccessStatusCode();
            if (System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray().Count >= count)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{count} verdicts were not stored within 20 s");
            await Task.Delay(100);
        }
    }

    private async Task<string> RoomNamesAsync(string token)
    {
        using var response = await _host.Api.SendAsync(HttpMethod.Get, "/api/rooms", token);
        return await response.Content.ReadAsStringAsync();
    }
}
