using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chatroom.Browser.Tests;

/// <summary>What a person does in the app, by the data-testid names of client/README.md.</summary>
public static class Ui
{
    public const int TestTimeoutMs = 30_000;

    /// <summary>Flags the embedded classifier reliably calls unsafe (harassment, self-harm).</summary>
    public const string Abuse = "you are a worthless idiot, go kill yourself";

    static Ui() => SetDefaultExpectTimeout(10_000);

    public static ILocator TestId(this IPage page, string id) => page.GetByTestId(id);

    /// <summary>The message whose text is exactly <paramref name="text"/>.</summary>
    public static ILocator Message(this IPage page, string text) =>
        page.GetByTestId("message").Filter(new() { Has = page.GetByTestId("message-text").GetByText(text, new() { Exact = true }) });

    public static ILocator MessageById(this IPage page, long id) => page.Locator($"[data-testid=message][data-id=\"{id}\"]");

    public static async Task SignInAsync(this IPage page, StandaloneHost host, string name, string path = "/")
    {
        await page.GotoAsync(host.Url(path));
        await page.TestId("name-input").FillAsync(name);
        await page.TestId("sign-in-button").ClickAsync();
        await Expect(page.TestId("composer")).ToBeEnabledAsync();
        await Expect(page.TestId("reconnect-banner")).ToBeHiddenAsync();
    }

    /// <summary>Signs an account in on the sign-in page the app shows and waits for the chat to connect.</summary>
    public static async Task SignInWithPasswordAsync(this IPage page, StandaloneHost host, string login, string password)
    {
        await page.GotoAsync(host.Url("/"));
        await page.TestId("login-name").FillAsync(login);
        await page.TestId("login-password").FillAsync(password);
        await page.TestId("login-submit").ClickAsync();
        await Expect(page.TestId("composer")).ToBeEnabledAsync();
        await Expect(page.TestId("reconnect-banner")).ToBeHiddenAsync();
    }

    public static async Task SendAsync(this IPage page, string text)
    {
        await page.TestId("composer").FillAsync(text);
        await page.TestId("composer").PressAsync("Enter");
    }

    public static async Task AdminSignInAsync(this IPage page, StandaloneHost host, string path = "/admin")
    {
        await page.GotoAsync(host.Url(path));
        await page.TestId("admin-password").FillAsync(StandaloneHost.AdminPassword);
        await page.TestId("admin-sign-in").ClickAsync();
        await Expect(page.TestId("admin-nav")).ToBeVisibleAsync();
        await Expect(page.TestId("admin-connection")).ToHaveAttributeAsync("data-status", "connected");
    }

    /// <summary>The repository's docs/screenshots folder, found from this source file (the build output may live anywhere).</summary>
    public static string ScreenshotsFolder([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", "docs", "screenshots"));
}
