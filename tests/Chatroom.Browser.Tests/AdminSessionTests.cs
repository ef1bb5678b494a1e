using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;
using Microsoft.Playwright;
using OtpNet;
using static Microsoft.Playwright.Assertions;

namespace Chatroom.Browser.Tests;

/// <summary>The admin console's account session: it outlives its short access tokens, and a second factor gets in.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminSessionTests(BrowserFixture browser) : IAsyncLifetime
{
    /// <summary>Access tokens are refused this long after they expire (ChatTokens.ClockSkew) plus the lifetime below.</summary>
    private const int ExpiryTestTimeoutMs = 150_000;

    private readonly TempDirectory _data = new("chatroom-browser");
    private StandaloneHost _host = null!;

    public async Task InitializeAsync() => _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
    {
        // Short enough that the test sees several renewals and the first token die; the console renews at 4/5 of it.
        ["Chatroom:Accounts:AccessTokenLifetime"] = "00:00:05",
        // Every renewal goes through /api/auth, which is rate limited per address.
        ["Chatroom:Api:SignInsPerMinute"] = "1000",
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact(Timeout = ExpiryTestTimeoutMs)]
    public async Task TheConsoleKeepsWorkingAfterItsFirstAccessTokenExpired()
    {
        var bo = await browser.NewPageAsync();
        await bo.SignInAsync(_host, "Bo");
        var admin = await browser.NewPageAsync();
        await admin.AdminSignInAsync(_host);
        var first = await StoredSessionAsync(admin);
        Assert.False(string.IsNullOrEmpty(first["refreshToken"]?.GetValue<string>()));

        // Wait (polling, generous deadline) until the server refuses the token the console signed in with.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(90);
        while (await StatusWithAsync(first["token"]!.GetValue<string>()) != HttpStatusCode.Unauthorized)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the first access token was never refused");
            await Task.Delay(500);
        }

        // Still signed in, with a renewed pair, and live actions work: REST (broadcast) and the hub (a live verdict).
        await Expect(admin.TestId("admin-nav")).ToBeVisibleAsync();
        var current = await StoredSessionAsync(admin);
        Assert.NotEqual(first["token"]!.GetValue<string>(), current["token"]!.GetValue<string>());
        Assert.NotEqual(first["refreshToken"]!.GetValue<string>(), current["refreshToken"]!.GetValue<string>());

        await admin.TestId("broadcast-text").FillAsync("Still here after the token expired");
        await admin.TestId("broadcast-send").ClickAsync();
        await Expect(admin.TestId("broadcast-result")).ToHaveTextAsync("Sent to 1 room.");
        await Expect(bo.Locator("[data-testid=message][data-kind=system]").GetByTestId("message-text"))
            .ToHaveTextAsync("Still here after the token expired");

        await bo.SendAsync(Ui.Abuse);
        await Expect(admin.Locator("[data-testid=verdict][data-safety=unsafe]")).ToHaveCountAsync(1);
        await Expect(admin.TestId("admin-connection")).ToHaveAttributeAsync("data-status", "connected");

        // A reload keeps the session too (the stored pair, renewed as needed).
        await admin.ReloadAsync();
        await Expect(admin.TestId("admin-nav")).ToBeVisibleAsync();
        await Expect(admin.TestId("admin-connection")).ToHaveAttributeAsync("data-status", "connected");
    }

    [Fact(Timeout = Ui.TestTimeoutMs * 2)]
    public async Task WhenTheSessionCannotBeRenewedTheSignInFormSaysSo()
    {
        var admin = await browser.NewPageAsync();
        await admin.AdminSignInAsync(_host);
        var session = await StoredSessionAsync(admin);

        // Sign out everywhere behind the console's back: its refresh token dies with the session.
        using var logout = await _host.Api.SendAsync(HttpMethod.Post, "/api/auth/logout", session["token"]!.GetValue<string>(), new { everywhere = true });
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        await Expect(admin.TestId("admin-signin-error")).ToHaveTextAsync("Your session ended; sign in again.", new() { Timeout = 30_000 });
        Assert.Null(await admin.EvaluateAsync<string?>("sessionStorage.getItem('chatroom.admin-session')"));
    }

    [Fact(Timeout = Ui.TestTimeoutMs * 2)]
    public async Task AnAdminWithAnAuthenticatorSignsInWithItsCode()
    {
        // Enrol TOTP on the admin account through the REST routes, as its owner would.
        var token = await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
        var enrollment = await PostAsync("/api/account/2fa/authenticator", token, new { });
        var totp = new Totp(Base32Encoding.ToBytes(enrollment["sharedKey"]!.GetValue<string>()));
        await PostAsync("/api/account/2fa/verify", token, new { code = totp.ComputeTotp(DateTime.UtcNow) });

        var admin = await browser.NewPageAsync();
        await admin.GotoAsync(_host.Url("/admin"));
        await admin.TestId("admin-username").FillAsync("admin");
        await admin.TestId("admin-password").FillAsync(StandaloneHost.AdminPassword);
        await admin.TestId("admin-sign-in").ClickAsync();
        await Expect(admin.TestId("admin-2fa-code")).ToBeVisibleAsync();
        Assert.Null(await admin.EvaluateAsync<string?>("sessionStorage.getItem('chatroom.admin-session')"));

        // A wrong code shows the server's refusal and keeps the field.
        var valid = new[] { -30, 0, 30, 60 }.Select(s => totp.ComputeTotp(DateTime.UtcNow.AddSeconds(s))).ToHashSet();
        var wrong = Enumerable.Range(0, 100).Select(i => ((123456 + i * 7919) % 1_000_000).ToString("D6")).First(c => !valid.Contains(c));
        await admin.TestId("admin-2fa-code").FillAsync(wrong);
        await admin.TestId("admin-2fa-submit").ClickAsync();
        await Expect(admin.TestId("admin-2fa-error")).Not.ToBeEmptyAsync();
        await Expect(admin.TestId("admin-nav")).ToHaveCountAsync(0);

        // The next time step's code: the one the enrolment used cannot be used twice.
        await admin.TestId("admin-2fa-code").FillAsync(totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)));
        await admin.TestId("admin-2fa-submit").ClickAsync();
        await Expect(admin.TestId("admin-nav")).ToBeVisibleAsync();
        await Expect(admin.TestId("admin-connection")).ToHaveAttributeAsync("data-status", "connected");
        await Expect(admin.TestId("dashboard")).ToBeVisibleAsync();
    }

    private static async Task<JsonObject> StoredSessionAsync(IPage page) =>
        JsonNode.Parse((await page.EvaluateAsync<string?>("sessionStorage.getItem('chatroom.admin-session')"))!)!.AsObject();

    private async Task<HttpStatusCode> StatusWithAsync(string token)
    {
        using var response = await _host.Api.SendAsync(HttpMethod.Get, "/api/admin/stats", token);
        return response.StatusCode;
    }

    private async Task<JsonObject> PostAsync(string path, string token, object body)
    {
        using var response = await _host.Api.SendAsync(HttpMethod.Post, path, token, body);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!;
    }
}
