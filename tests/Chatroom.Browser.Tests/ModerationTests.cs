using Chatroom.Testing.Hosting;
using static Microsoft.Playwright.Assertions;

namespace Chatroom.Browser.Tests;

/// <summary>Unsafe messages in the chat and in the admin review queue, where an admin decides with a reason.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ModerationTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly TempDirectory _data = new("chatroom-browser");
    private StandaloneHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["Chatroom:Analysis:Rooms:strict:Action"] = "Hide",
        });
        await _host.Api.CreateRoomAsync(await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword), "strict");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact(Timeout = Ui.TestTimeoutMs)]
    public async Task InAHideRoomTheOtherPersonSeesItHiddenAndAnApprovalBringsItBack()
    {
        var ana = await browser.NewPageAsync();
        var bo = await browser.NewPageAsync();
        await ana.SignInAsync(_host, "Ana", "/rooms/strict");
        await bo.SignInAsync(_host, "Bo", "/rooms/strict");

        await ana.SendAsync(Ui.Abuse);
        var hidden = bo.Locator("[data-testid=message][data-hidden=true]");
        await Expect(hidden).ToHaveCountAsync(1);
        await Expect(hidden.GetByTestId("message-text")).ToHaveTextAsync("message hidden by moderation");
        await Expect(bo.GetByText(Ui.Abuse)).ToHaveCountAsync(0);

        var admin = await browser.NewPageAsync();
        await admin.AdminSignInAsync(_host, "/admin/queue");
        var flag = admin.TestId("flag").Filter(new() { Has = admin.TestId("flag-text").GetByText(Ui.Abuse, new() { Exact = true }) });
        await Expect(flag).ToHaveAttributeAsync("data-state", "open");
        await Expect(flag).ToHaveAttributeAsync("data-room", "strict");

        await flag.GetByTestId("flag-approve").ClickAsync();
        await Expect(flag.GetByTestId("flag-error")).ToContainTextAsync("Write a reason first");
        await flag.GetByTestId("flag-reason").FillAsync("a quote from a film, not abuse");
        await flag.GetByTestId("flag-approve").ClickAsync();
        var resolved = admin.Locator("[data-testid=flag][data-state=approved]");
        await Expect(resolved.GetByTestId("flag-resolution")).ToContainTextAsync("a quote from a film, not abuse");

        await Expect(bo.Message(Ui.Abuse)).ToHaveAttributeAsync("data-hidden", "false");
        await Expect(hidden).ToHaveCountAsync(0);
    }

    [Fact(Timeout = Ui.TestTimeoutMs)]
    public async Task InAFlagRoomTheMessageStaysUntilTheAdminHidesIt()
    {
        var ana = await browser.NewPageAsync();
        var bo = await browser.NewPageAsync();
        await ana.SignInAsync(_host, "Ana");
        await bo.SignInAsync(_host, "Bo");

        await ana.SendAsync(Ui.Abuse);
        await Expect(bo.Message(Ui.Abuse)).ToHaveAttributeAsync("data-hidden", "false");

        var admin = await browser.NewPageAsync();
        await admin.AdminSignInAsync(_host, "/admin");
        await Expect(admin.TestId("queue-count")).ToHaveTextAsync("1");
        await admin.TestId("nav-queue").ClickAsync();
        var flag = admin.TestId("flag").Filter(new() { Has = admin.TestId("flag-text").GetByText(Ui.Abuse, new() { Exact = true }) });
        await flag.GetByTestId("flag-reason").FillAsync("harassment");
        await flag.GetByTestId("flag-hide").ClickAsync();
        await Expect(admin.Locator("[data-testid=flag][data-state=hidden]")).ToHaveCountAsync(1);
        await Expect(admin.TestId("queue-count")).ToBeHiddenAsync();

        var hidden = bo.Locator("[data-testid=message][data-hidden=true]");
        await Expect(hidden).ToHaveCountAsync(1);
        await Expect(bo.GetByText(Ui.Abuse)).ToHaveCountAsync(0);

        await admin.TestId("nav-audit").ClickAsync();
        await Expect(admin.Locator("[data-testid=audit-row][data-action=hide]")).ToContainTextAsync("harassment");
    }

    [Fact(Timeout = Ui.TestTimeoutMs)]
    public async Task AMutedAuthorIsToldSoInPlainWords()
    {
        var ana = await browser.NewPageAsync();
        await ana.SignInAsync(_host, "Ana");
        await ana.SendAsync(Ui.Abuse);

        var admin = await browser.NewPageAsync();
        await admin.AdminSignInAsync(_host, "/admin/queue");
        var flag = admin.TestId("flag").Filter(new() { Has = admin.TestId("flag-text").GetByText(Ui.Abuse, new() { Exact = true }) });
        await flag.GetByTestId("flag-reason").FillAsync("threats");
        await flag.GetByTestId("flag-mute").ClickAsync();
        await Expect(admin.Locator("[data-testid=flag][data-state=muted]")).ToHaveCountAsync(1);

        await ana.SendAsync("why can't I talk?");
        await Expect(ana.TestId("composer-error")).ToContainTextAsync("You are muted in this room");
        await Expect(ana.Locator("[data-testid=pending-message][data-status=failed]")).ToHaveCountAsync(1);
    }
}
