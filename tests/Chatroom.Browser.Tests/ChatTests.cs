using Chatroom.Testing.Hosting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chatroom.Browser.Tests;

/// <summary>Two people in two browser contexts: presence, typing, messages, scroll-back, inert text.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ChatTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly TempDirectory _data = new("chatroom-browser");
    private StandaloneHost _host = null!;

    public async Task InitializeAsync() => _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
    {
        // The scroll-back test seeds a long history quickly.
        ["Chatroom:Chat:MessagesPerSecond"] = "1000",
        ["Chatroom:Chat:Burst"] = "1000",
        ["Chatroom:Chat:UserMessagesPerSecond"] = "1000",
        ["Chatroom:Chat:UserBurst"] = "1000",
        ["Chatroom:Sockets:InvocationsPerSecond"] = "1000",
        ["Chatroom:Sockets:InvocationBurst"] = "1000",
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact(Timeout = 45_000)]
    public async Task AnAgentsAvatarDoesNotLookLikeAPersonsOfTheSameInitial()
    {
        var ana = await browser.NewPageAsync();
        await ana.SignInAsync(_host, "Ana");
        await ana.SendAsync("@assistant hello, are you there?");
        var agentMessage = ana.Locator("[data-testid=message][data-kind=agent]");
        // The first agent run of a fresh host loads the local sentence-embedding model: more than the default wait on a loaded machine.
        await Expect(agentMessage.GetByTestId("message-author")).ToHaveTextAsync("assistant", new() { Timeout = 25_000 });

        var person = await LookAsync(ana.Locator("[data-testid=message][data-kind=user]").Locator(".avatar"));
        var agent = await LookAsync(agentMessage.Locator(".avatar"));
        Assert.Equal(("A", "none"), (person.Glyph, person.Ring));
        Assert.Equal("\u2726", agent.Glyph);
        Assert.NotEqual("none", agent.Ring);
        Assert.NotEqual(person.Corners, agent.Corners);
    }

    /// <summary>
    /// What an avatar shows: the glyph drawn (its initial, or the ::before mark when the initial is sized to nothing),
    /// the ring around the tile and the tile's corner rounding.
    /// </summary>
    private static async Task<(string Glyph, string Ring, string Corners)> LookAsync(ILocator avatar)
    {
        var look = await avatar.EvaluateAsync<string[]>("""
            el => {
              const own = getComputedStyle(el);
              const mark = getComputedStyle(el, '::before').content;
              const glyph = parseFloat(own.fontSize) === 0 ? (mark === 'none' ? '' : JSON.parse(mark)) : el.textContent.trim();
              return [glyph, own.boxShadow, own.borderRadius];
            }
            """);
        return (look[0], look[1], look[2]);
    }

    [Fact(Timeout = Ui.TestTimeoutMs)]
    public async Task TwoPeopleSeeEachOtherTypeAndChat()
    {
        var ana = await browser.NewPageAsync();
        var bo = await browser.NewPageAsync();
        await ana.SignInAsync(_host, "Ana");
        await bo.SignInAsync(_host, "Bo");

        await Expect(ana.TestId("room-title")).ToHaveTextAsync("# lobby");
        await Expect(ana.TestId("presence-item").Filter(new() { HasText = "Bo" })).ToBeVisibleAsync();
        await Expect(bo.TestId("presence-item").Filter(new() { HasText = "Ana" })).ToBeVisibleAsync();
        await Expect(ana.Locator("[data-testid=room-item][data-room=lobby] [data-testid=room-present]")).ToHaveTextAsync("2");

        await bo.TestId("composer").PressSequentiallyAsync("hel");
        await Expect(ana.TestId("typing-indicator")).ToHaveTextAsync("Bo is typing…");

        await bo.SendAsync("hello Ana, see https://example.org/docs.");
        var received = ana.Message("hello Ana, see https://example.org/docs.");
        await Expect(received).ToBeVisibleAsync();
        await Expect(received.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", "https://example.org/docs");
        await Expect(received.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("rel", "noopener noreferrer nofollow");
        await Expect(ana.TestId("typing-indicator")).ToHaveTextAsync("");

        await ana.SendAsync("hi Bo!");
        await Expect(bo.Message("hi Bo!")).ToBeVisibleAsync();
        await Expect(bo.Message("hi Bo!").GetByTestId("message-author")).ToHaveTextAsync("Ana");

        await bo.TestId("sign-out").ClickAsync();
        await Expect(ana.TestId("presence-item").Filter(new() { HasText = "Bo" })).ToHaveCountAsync(0);
    }

    [Fact(Timeout = Ui.TestTimeoutMs)]
    public async Task UnreadCountsGrowInOtherRoomsAndClearOnOpening()
    {
        var admin = await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
        await _host.Api.CreateRoomAsync(admin, "side");
        var ana = await browser.NewPageAsync();
        var bo = await browser.NewPageAsync();
        await ana.SignInAsync(_host, "Ana", "/rooms/side");
        await ana.Locator("[data-testid=room-item][data-room=lobby]").ClickAsync();
        await Expect(ana.TestId("room-title")).ToHaveTextAsync("# lobby");
        await bo.SignInAsync(_host, "Bo", "/rooms/side");

        await bo.SendAsync("one");
        await bo.SendAsync("two");
        var badge = ana.Locator("[data-testid=room-item][data-room=side] [data-testid=unread-badge]");
        await Expect(badge).ToHaveTextAsync("2");
        await ana.Locator("[data-testid=room-item][data-room=side]").ClickAsync();
        await Expect(badge).ToHaveCountAsync(0);
        await Expect(ana.Message("two")).ToBeVisibleAsync();
    }

    [Fact(Timeout = Ui.TestTimeoutMs)]
    public async Task ScrollingUpLoadsOlderMessagesUntilTheStartOfTheRoom()
    {
        var admin = await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
        await _host.Api.CreateRoomAsync(admin, "history");
        await using (var seeder = await _host.Api.ConnectAsync("Seeder"))
        {
            await seeder.InvokeAsync("JoinRoom", "history", null);
            for (var i = 1; i <= 130; i++)
            {
                await seeder.InvokeAsync("SendMessage", "history", $"message number {i}", $"seed-{i}");
            }
        }

        var page = await browser.NewPageAsync();
        await page.SignInAsync(_host, "Reader", "/rooms/history");
        await Expect(page.Message("message number 130")).ToBeVisibleAsync();
        await Expect(page.Message("message number 1")).ToHaveCountAsync(0);

        // Each scroll to the top asks for one more page; three pages of 50 reach the first message.
        var list = page.TestId("message-list");
        for (var attempt = 0; attempt < 40 && await page.Message("message number 1").CountAsync() == 0; attempt++)
        {
            await list.EvaluateAsync("el => el.scrollTo({ top: 0 })");
            await page.WaitForTimeoutAsync(250);
        }

        await Expect(page.Message("message number 1")).ToBeVisibleAsync();
        await Expect(page.TestId("older-status")).ToHaveTextAsync("This is the start of the room.");
        await Expect(page.TestId("message")).ToHaveCountAsync(130);
    }

    [Fact(Timeout = Ui.TestTimeoutMs)]
    public async Task MarkupInMessagesIsShownAsInertText()
    {
        var ana = await browser.NewPageAsync();
        var bo = await browser.NewPageAsync();
        var dialogs = new List<string>();
        bo.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
        await ana.SignInAsync(_host, "<b>Mallory</b>");
        await bo.SignInAsync(_host, "Bo");

        const string image = "<img src=x onerror=alert(1)>";
        const string script = "<script>alert(2)</script><a href=\"javascript:alert(3)\">click</a>";
        await ana.SendAsync(image);
        await ana.SendAsync(script);

        await Expect(bo.Message(image)).ToBeVisibleAsync();
        await Expect(bo.Message(script)).ToBeVisibleAsync();
        await Expect(bo.Message(image).GetByTestId("message-author")).ToHaveTextAsync("<b>Mallory</b>");
        await Expect(bo.TestId("message-list").Locator("img, script, b, a")).ToHaveCountAsync(0);
        await Expect(bo.TestId("presence-item").Filter(new() { HasText = "<b>Mallory</b>" })).ToBeVisibleAsync();
        Assert.Empty(dialogs);
    }
}
