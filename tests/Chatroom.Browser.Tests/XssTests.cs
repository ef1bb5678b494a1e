using Chatroom.Testing.FakeLlm;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.SignalR;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chatroom.Browser.Tests;

/// <summary>
/// Stored XSS: payloads that set <c>window.__xss</c> if they ever run — in message text, a user name, a room topic and
/// an agent's (streamed) reply — are shown literally in the chat and the admin console, and none runs.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class XssTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Name = "<svg onload=__xss=1>";
    private const string Topic = "<img src=x onerror=window.__xss=2><script>window.__xss=2</script>";
    private const string AgentReply = "<img src=x onerror=window.__xss=3> and <a href=\"javascript:window.__xss=3\">docs</a>";

    private static readonly string[] Messages =
    [
        "<img src=x onerror=window.__xss=4>",
        "<script>window.__xss=5</script>",
        "<a href=\"javascript:window.__xss=6\">click me</a>",
        "javascript:window.__xss=7",
        "[click](javascript:window.__xss=8)",
        "<iframe srcdoc=\"<script>parent.__xss=9</script>\"></iframe>",
        "https://example.com/\"><img src=x onerror=window.__xss=10>",
    ];

    private readonly TempDirectory _data = new("chatroom-browser");
    private FakeOllamaServer _model = null!;
    private StandaloneHost _host = null!;

    public async Task InitializeAsync()
    {
        _model = await FakeOllamaServer.StartAsync();
        _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["ConnectionStrings:reasoning-model"] = $"Endpoint={_model.Endpoint};Model=fake-model",
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _model.DisposeAsync();
        _data.Dispose();
    }

    [Fact(Timeout = Ui.TestTimeoutMs * 2)]
    public async Task StoredPayloadsAreShownAsTextAndNeverRun()
    {
        var token = await _host.Api.GuestTokenAsync(Name);
        using (var created = await _host.Api.SendAsync(HttpMethod.Post, "/api/rooms", token, new { name = "xss", topic = Topic }))
        {
            created.EnsureSuccessStatusCode();
        }

        _model.Enqueue(FakeLlmReply.Text(AgentReply, chunks: 4));
        await using (var mallory = await _host.Api.ConnectWithTokenAsync(token))
        {
            await mallory.InvokeAsync("JoinRoom", "xss", null);
            foreach (var (text, i) in Messages.Select((t, i) => (t, i)))
            {
                await mallory.InvokeAsync("SendMessage", "xss", text, $"x-{i}");
            }

            await mallory.InvokeAsync("SendMessage", "xss", "@assistant tell me something", "x-agent");
            await mallory.WaitForEventAsync("message", m => m.GetProperty("authorName").GetString() == "assistant", TimeSpan.FromSeconds(20));
        }

        var page = await browser.NewPageAsync();
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
        await page.SignInAsync(_host, "victim");
        await page.Locator("[data-testid=room-item][data-room=xss]").ClickAsync();

        foreach (var text in Messages)
        {
            await Expect(page.Message(text)).ToBeVisibleAsync();
        }

        await Expect(page.Message(AgentReply)).ToBeVisibleAsync();
        await Expect(page.Message(Messages[0]).GetByTestId("message-author")).ToHaveTextAsync(Name);
        await Expect(page.TestId("room-topic")).ToHaveTextAsync(Topic);
        var list = page.TestId("message-list");
        await Expect(list.Locator("img, script, svg, iframe")).ToHaveCountAsync(0);
        await Expect(list.Locator("a[href^='javascript' i]")).ToHaveCountAsync(0);

        // Whatever links the app made, following them runs nothing.
        foreach (var link in await list.Locator("a").AllAsync())
        {
            Assert.StartsWith("http", await link.GetAttributeAsync("href"), StringComparison.Ordinal);
        }

        var admin = await browser.NewPageAsync();
        admin.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
        await admin.AdminSignInAsync(_host);
        await admin.TestId("nav-rooms").ClickAsync();
        await Expect(admin.Locator("[data-testid=room-row][data-room=xss]")).ToBeVisibleAsync();
        await admin.TestId("nav-queue").ClickAsync();
        await admin.TestId("nav-dashboard").ClickAsync();

        foreach (var p in new[] { page, admin })
        {
            Assert.Equal("clean", await p.EvaluateAsync<string>("() => window.__xss === undefined ? 'clean' : 'ran: ' + window.__xss"));
        }

        Assert.Empty(dialogs);
    }
}
