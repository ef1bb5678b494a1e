using Chatroom.Testing.Hosting;
using static Microsoft.Playwright.Assertions;

namespace Chatroom.Browser.Tests;

/// <summary>The server goes away and comes back on the same port and data: the app says so, then recovers what it missed.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReconnectTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly TempDirectory _data = new("chatroom-browser");
    private StandaloneHost _host = null!;

    public async Task InitializeAsync() => _host = await StandaloneHost.StartAsync(_data.Path, port: FreePort.Next());

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact(Timeout = Ui.TestTimeoutMs)]
    public async Task TheBannerShowsWhileTheServerIsDownAndMissedMessagesArriveAfterwards()
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync(_host, "Ana");
        await page.SendAsync("before the restart");
        await Expect(page.Message("before the restart")).ToBeVisibleAsync();

        var port = _host.Port;
        await _host.DisposeAsync();
        await Expect(page.TestId("reconnect-banner")).ToBeVisibleAsync();

        _host = await StandaloneHost.StartAsync(_data.Path, port: port);
        await using (var bo = await _host.Api.ConnectAsync("Bo"))
        {
            await bo.InvokeAsync("JoinRoom", "lobby", null);
            await bo.InvokeAsync("SendMessage", "lobby", "sent while you were away", "away-1");
        }

        await Expect(page.TestId("reconnect-banner")).ToBeHiddenAsync(new() { Timeout = 20_000 });
        await Expect(page.Message("sent while you were away")).ToBeVisibleAsync();
        await Expect(page.Message("before the restart")).ToHaveCountAsync(1);

        await page.SendAsync("after the restart");
        await Expect(page.Message("after the restart")).ToBeVisibleAsync();
        await Expect(page.TestId("pending-message")).ToHaveCountAsync(0);
    }
}
