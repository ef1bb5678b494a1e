using System.Text.RegularExpressions;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.SignalR;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chatroom.Browser.Tests;

/// <summary>
/// A direct conversation in the web app: Ana chooses "Message" beside Bo in the lobby and writes; Bo sees the request
/// with Ana's name and first words, accepts it, and the two write to each other. And when a conversation goes wrong: a
/// report that reaches a moderator's queue, a block that refuses the next message, the block list that lifts it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConversationTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";

    private readonly TempDirectory _data = new("chatroom-browser");
    private StandaloneHost _host = null!;

    public async Task InitializeAsync() => _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
    {
        ["Chatroom:Api:SignInsPerMinute"] = "1000",
        ["Chatroom:Accounts:RequireConfirmedEmail"] = "false",
        ["Chatroom:Auth:StaffRequireTwoFactor"] = "false",
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact(Timeout = 180_000)]
    public async Task OnePersonOpensADirectConversation_TheOtherAcceptsTheRequest_AndBothWrite()
    {
        await _host.Api.RegisterAccountAsync("ana_k", Password);
        var (boId, _) = await _host.Api.RegisterAccountAsync("bo_lee", Password);

        var bo = await SignedInAsync("bo_lee");
        var ana = await SignedInAsync("ana_k");

        // Ana finds Bo among the people in the lobby and opens a direct conversation with him.
        var boInLobby = ana.Locator($"[data-testid=presence-item][data-user-id=\"{boId}\"]");
        await boInLobby.GetByTestId("person-message").ClickAsync();
        await Expect(ana.TestId("room-title")).ToHaveTextAsync(new Regex("^bo_lee$", RegexOptions.IgnoreCase));
        await Expect(ana).ToHaveURLAsync(new Regex("/rooms/dm-[0-9a-f]+$"));
        await ana.SendAsync("hi bo, it's ana from the chess club");
        await Expect(ana.Message("hi bo, it's ana from the chess club")).ToBeVisibleAsync();

        // Bo sees who writes and what, as text, and accepts.
        var request = bo.TestId("conversation-request");
        await Expect(request.GetByTestId("request-from")).ToHaveTextAsync(new Regex("^ana_k wants to message you$", RegexOptions.IgnoreCase));
        await Expect(request.GetByTestId("request-preview")).ToHaveTextAsync("hi bo, it's ana from the chess club");
        await request.GetByTestId("request-accept").ClickAsync();
        await Expect(bo.TestId("room-title")).ToHaveTextAsync(new Regex("^ana_k$", RegexOptions.IgnoreCase));
        await Expect(bo.Message("hi bo, it's ana from the chess club")).ToBeVisibleAsync();
        await Expect(bo.TestId("conversation-request")).ToHaveCountAsync(0);

        // Bo answers; Ana reads it in the conversation she has open.
        await bo.SendAsync("see you thursday");
        await Expect(ana.Message("see you thursday")).ToBeVisibleAsync();
        await Expect(ana.TestId("conversation-item").Filter(new() { HasTextRegex = new Regex("^@?bo_lee", RegexOptions.IgnoreCase) })).ToBeVisibleAsync();
    }

    [Fact(Timeout = 180_000)]
    public async Task APersonReportsAMessageAndBlocksItsAuthor_TheirNextMessageIsRefused_AndAModeratorSeesTheReport()
    {
        const string Pushy = "add me on snapchat, this app reads everything";
        var (anaId, _) = await _host.Api.RegisterAccountAsync("ana_k", Password);
        var (_, boToken) = await _host.Api.RegisterAccountAsync("bo_lee", Password);
        await _host.Api.RegisterModeratorAsync(await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword), "mod_mia", Password);

        // Bo writes to Ana from a program (the web side of starting a conversation is the test above).
        await using var boHub = await _host.Api.ConnectWithTokenAsync(boToken);
        var room = await boHub.InvokeAsync<string>("OpenDirect", anaId);
        await boHub.InvokeAsync("JoinRoom", room, null);
        await boHub.InvokeAsync("SendMessage", room, Pushy, "b-1");

        var ana = await SignedInAsync("ana_k");
        ana.Dialog += (_, dialog) => _ = dialog.Type == DialogType.Prompt ? dialog.AcceptAsync("asked me to move to another app") : dialog.AcceptAsync();
        await ana.TestId("conversation-request").GetByTestId("request-accept").ClickAsync();
        var message = ana.Message(Pushy);
        await Expect(message).ToBeVisibleAsync();

        await message.GetByTestId("person-report").ClickAsync();
        await Expect(ana.TestId("system-notice").Filter(new() { HasText = "a moderator will look at your report" })).ToBeVisibleAsync();
        await message.GetByTestId("person-block").ClickAsync();
        await Expect(ana.TestId("system-notice").Filter(new() { HasText = "You blocked bo_lee" })).ToBeVisibleAsync();

        // Bo's next message does not get through.
        var refused = await Assert.ThrowsAsync<HubInvocationException>(() => boHub.InvokeAsync("SendMessage", room, "why don't you answer", "b-2"));
        Assert.Equal("recipient_unavailable", refused.Code);

        // Ana's block list names Bo; unblocking empties it.
        await ana.TestId("blocked-people-toggle").ClickAsync();
        var blocked = ana.TestId("blocked-person");
        await Expect(blocked).ToHaveCountAsync(1);
        await Expect(blocked).ToContainTextAsync("bo_lee");
        await blocked.GetByTestId("unblock").ClickAsync();
        await Expect(ana.TestId("block-list-message")).ToHaveTextAsync("bo_lee can message you again.");
        await Expect(ana.TestId("blocked-person")).ToHaveCountAsync(0);

        // A moderator (not an admin) signs in to the console, sees only the review queues, and finds the report there.
        var moderator = await browser.NewPageAsync(1280, 900);
        await moderator.GotoAsync(_host.Url("/admin"));
        await moderator.TestId("admin-username").FillAsync("mod_mia");
        await moderator.TestId("admin-password").FillAsync(Password);
        await moderator.TestId("admin-sign-in").ClickAsync();
        await Expect(moderator.TestId("admin-nav")).ToBeVisibleAsync();
        await Expect(moderator.TestId("nav-dashboard")).ToHaveCountAsync(0);
        await Expect(moderator.TestId("nav-guardian")).ToBeVisibleAsync();
        var flag = moderator.Locator($"[data-testid=flag][data-room=\"{room}\"]");
        await Expect(flag.GetByTestId("flag-text")).ToHaveTextAsync(Pushy);
        await Expect(flag).ToContainTextAsync("asked me to move to another app");
    }

    private async Task<IPage> SignedInAsync(string userName)
    {
        var page = await browser.NewPageAsync(1280, 900);
        await page.SignInWithPasswordAsync(_host, userName, Password);
        return page;
    }
}
