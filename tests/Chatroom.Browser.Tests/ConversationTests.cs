using System.Text.RegularExpressions;
using Chatroom.Testing.Hosting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chatroom.Browser.Tests;

/// <summary>
/// A direct conversation in the web app: Ana chooses "Message" beside Bo in the lobby and writes; Bo sees the request
/// with Ana's name and first words, accepts it, and the two write to each other.
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

    private async Task<IPage> SignedInAsync(string userName)
    {
        var page = await browser.NewPageAsync(1280, 900);
        await page.SignInWithPasswordAsync(_host, userName, Password);
        return page;
    }
}
