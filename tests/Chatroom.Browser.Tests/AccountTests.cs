using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;
using Microsoft.Playwright;
using OtpNet;
using static Microsoft.Playwright.Assertions;

namespace Chatroom.Browser.Tests;

/// <summary>
/// A person's account in the browser: sign up, confirm by the emailed link, enrol an authenticator and a passkey, sign
/// back in with each; an admin who signed in with a second factor bans them from the Users page and their open tab
/// closes at once. Also takes the account screenshots (docs/screenshots with CHATROOM_SCREENSHOTS=1).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccountTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";
    private const string Email = "quinn@example.org";

    private readonly TempDirectory _data = new("chatroom-browser");
    private readonly TempDirectory _shots = new("chatroom-shots");
    private StandaloneHost _host = null!;

    public async Task InitializeAsync() => _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
    {
        // Staff need a second factor here, as outside Development: the admin below signs in with one.
        ["Chatroom:Auth:StaffRequireTwoFactor"] = "true",
        // Every sign-in, renewal and sign-up goes through /api/auth, rate limited per address.
        ["Chatroom:Api:SignInsPerMinute"] = "1000",
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
        _shots.Dispose();
    }

    /// <summary>
    /// The person's pages are on http://localhost:port, not 127.0.0.1: WebAuthn refuses IP addresses as relying party ids,
    /// and the email links name localhost when no public URL is set.
    /// </summary>
    private string Local(string pathAndQuery) => $"http://localhost:{_host.Port}{pathAndQuery}";

    private string ShotsFolder()
    {
        var folder = Environment.GetEnvironmentVariable("CHATROOM_SCREENSHOTS") == "1" ? Ui.ScreenshotsFolder() : _shots.Path;
        Directory.CreateDirectory(folder);
        return folder;
    }

    [Fact(Timeout = 240_000)]
    public async Task APersonSignsUpEnrolsTotpAndAPasskeyAndSignsInWithEach_ThenABanClosesTheirTab()
    {
        var shots = ShotsFolder();
        var page = await browser.NewPageAsync(1280, 900);

        // Sign up: a wrong field is named by the page, what was typed stays.
        await page.GotoAsync(Local("/"));
        await Expect(page.TestId("login-name")).ToBeFocusedAsync();
        await page.TestId("show-sign-up").ClickAsync();
        await Expect(page.TestId("signup-username")).ToBeFocusedAsync();
        await page.TestId("signup-username").FillAsync("quinn");
        await page.TestId("signup-display-name").FillAsync("Quinn");
        await page.TestId("signup-email").FillAsync(Email);
        await page.TestId("signup-password").FillAsync("short");
        await page.TestId("signup-date-of-birth").FillAsync("1994-05-17");
        await page.TestId("signup-submit").ClickAsync();
        await Expect(page.TestId("signup-password-error")).ToHaveTextAsync("Passwords are at least 10 characters.");
        await Expect(page.TestId("signup-password")).ToBeFocusedAsync();
        await Expect(page.TestId("signup-email")).ToHaveValueAsync(Email);
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "account-sign-up.png") });
        await page.TestId("signup-password").FillAsync(Password);
        await page.TestId("signup-submit").ClickAsync();
        await Expect(page.TestId("check-email")).ToContainTextAsync($"Check your email: we sent a link to {Email}.");

        // Confirm through the link in the email the quick start wrote to the outbox.
        var link = await EmailLinkAsync(Email, "/account/confirm-email");
        await page.GotoAsync(Local(link.PathAndQuery));
        await page.TestId("confirm-submit").ClickAsync();
        await Expect(page.TestId("confirm-status")).ToHaveTextAsync("Your address is confirmed. You can sign in now.");
        await page.TestId("go-sign-in").ClickAsync();

        // Sign in with the password; the chat header leads to the account page.
        await SignInWithPasswordAsync(page);
        await Expect(page.TestId("composer")).ToBeEnabledAsync();
        await Expect(page.TestId("me-name")).ToHaveTextAsync("Quinn");
        await page.TestId("account-link").ClickAsync();
        await Expect(page.TestId("profile-user-name")).ToHaveTextAsync("quinn");
        await Expect(page.Locator("[data-testid=session][data-current=true] [data-testid=this-device]")).ToBeVisibleAsync();

        // Enrol TOTP: a QR code drawn in the page, the key as text, a code computed here from that key.
        await page.TestId("totp-start").ClickAsync();
        await Expect(page.Locator("[data-testid=totp-qr] svg path")).ToHaveCountAsync(1);
        var key = await page.TestId("totp-key").GetAttributeAsync("data-key");
        Assert.False(string.IsNullOrEmpty(key));
        Assert.Equal(key.ToLowerInvariant(), (await page.TestId("totp-key").TextContentAsync())!.Replace(" ", "", StringComparison.Ordinal));
        var totp = new Totp(Base32Encoding.ToBytes(key));
        await page.TestId("totp-code").FillAsync(totp.ComputeTotp(DateTime.UtcNow));
        await page.TestId("totp-verify").ClickAsync();
        await Expect(page.TestId("recovery-code")).ToHaveCountAsync(10);
        await page.TestId("recovery-done").ClickAsync();
        await Expect(page.TestId("two-factor-state")).ToHaveAttributeAsync("data-enabled", "true");

        // Add a passkey with a virtual authenticator (CDP), as a phone's or laptop's platform authenticator would.
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
        await page.TestId("passkey-name").FillAsync("Test laptop");
        await page.TestId("passkey-add").ClickAsync();
        await Expect(page.TestId("passkey-status")).ToHaveTextAsync("Passkey added. You can sign in with it without a password.");
        await Expect(page.TestId("passkey-label")).ToHaveTextAsync("Test laptop");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "account-page.png"), FullPage = true });

        // Sign out, then in again with the password and the authenticator's next code (the enrolment's cannot be reused).
        await page.TestId("account-sign-out").ClickAsync();
        await SignInWithPasswordAsync(page);
        await Expect(page.TestId("login-2fa-code")).ToBeFocusedAsync();
        await page.TestId("login-2fa-code").FillAsync(totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)));
        await page.TestId("login-2fa-submit").ClickAsync();
        await Expect(page.TestId("composer")).ToBeEnabledAsync();

        // Sign out from the chat, then in with the passkey alone.
        await page.TestId("sign-out").ClickAsync();
        await page.TestId("passkey-sign-in").ClickAsync();
        await Expect(page.TestId("composer")).ToBeEnabledAsync();
        await Expect(page.TestId("me-name")).ToHaveTextAsync("Quinn");
        await Expect(page.TestId("reconnect-banner")).ToBeHiddenAsync();

        // An admin with an authenticator bans Quinn from the Users page.
        var admin = await AdminWithSecondFactorAsync();
        await admin.TestId("nav-users").ClickAsync();
        await admin.TestId("users-search").FillAsync("quinn");
        await admin.TestId("users-search-submit").ClickAsync();
        var row = admin.Locator("[data-testid=user-row][data-user-name=quinn]");
        await Expect(row.GetByTestId("user-state")).ToHaveTextAsync("Active");
        await row.GetByTestId("user-manage").ClickAsync();
        await admin.TestId("user-reason").FillAsync("spam in every room");
        await admin.TestId("user-ban-duration").SelectOptionAsync("1d");
        await admin.TestId("user-ban").ClickAsync();
        await admin.TestId("user-ban-confirm").ClickAsync();
        await Expect(admin.TestId("user-result")).ToContainTextAsync("quinn: banned until ");
        await Expect(row.GetByTestId("user-state")).ToContainTextAsync("Banned until");

        // Quinn's open tab is closed at once, with the ban's sentence; signing in again is refused with account_banned.
        await Expect(page.TestId("login-error")).ToContainTextAsync("This account is banned until ");
        await admin.ScreenshotAsync(new() { Path = Path.Combine(shots, "admin-users.png") });
        await SignInWithPasswordAsync(page);
        await Expect(page.TestId("login-error")).ToContainTextAsync("This account is banned until ");
        using var login = await _host.Api.Http.PostAsJsonAsync("/api/auth/login", new { login = "quinn", password = Password });
        Assert.Equal((403, "account_banned"), await ChatApiClient.ProblemAsync(login));

        await admin.TestId("nav-audit").ClickAsync();
        await Expect(admin.Locator("[data-testid=audit-row][data-action=ban_account]")).ToHaveCountAsync(1);

        foreach (var name in new[] { "account-sign-up", "account-page", "admin-users" })
        {
            Assert.True(new FileInfo(Path.Combine(shots, name + ".png")).Length > 10_000, name);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task DeletingTheAccountTakesThePasswordAndEndsTheSession()
    {
        const string email = "rowan@example.org";
        using (var register = await _host.Api.Http.PostAsJsonAsync("/api/auth/register",
                   new { userName = "rowan", displayName = "Rowan", email, password = Password, dateOfBirth = "1990-01-02" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, register.StatusCode);
        }

        var link = System.Web.HttpUtility.ParseQueryString((await EmailLinkAsync(email, "/account/confirm-email")).Query);
        using (var confirm = await _host.Api.Http.PostAsJsonAsync("/api/auth/confirm-email", new { userId = link["userId"], token = link["token"] }))
        {
            Assert.Equal(HttpStatusCode.NoContent, confirm.StatusCode);
        }

        var page = await browser.NewPageAsync();
        await page.GotoAsync(Local("/account"));
        await page.TestId("login-name").FillAsync("rowan");
        await page.TestId("login-password").FillAsync(Password);
        await page.TestId("login-submit").ClickAsync();
        await Expect(page.TestId("deletion-notice")).ToContainTextAsync("Messages you wrote stay in their rooms");

        // No password: named by the field before anything is sent; a wrong one: the server's refusal by the field.
        await page.TestId("delete-account").ClickAsync();
        await page.TestId("delete-account-confirm").ClickAsync();
        await Expect(page.TestId("delete-password-error")).ToHaveTextAsync("Enter your password to delete the account.");
        await Expect(page.TestId("delete-password")).ToBeFocusedAsync();
        await page.TestId("delete-password").FillAsync("not the password at all");
        await page.TestId("delete-account").ClickAsync();
        await page.TestId("delete-account-confirm").ClickAsync();
        await Expect(page.TestId("delete-password-error")).ToContainTextAsync("password");
        await Expect(page.TestId("profile-user-name")).ToHaveTextAsync("rowan");

        await page.TestId("delete-password").FillAsync(Password);
        await page.TestId("delete-account").ClickAsync();
        await page.TestId("delete-account-confirm").ClickAsync();
        await Expect(page.TestId("login-error")).ToHaveTextAsync("Your account was deleted. Messages you wrote stay in their rooms under the name you had.");
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('chatroom.session')"));
        using var login = await _host.Api.Http.PostAsJsonAsync("/api/auth/login", new { login = "rowan", password = Password });
        Assert.Equal((401, "invalid_credentials"), await ChatApiClient.ProblemAsync(login));
    }

    private static async Task SignInWithPasswordAsync(IPage page)
    {
        await page.TestId("login-name").FillAsync("quinn");
        await page.TestId("login-password").FillAsync(Password);
        await page.TestId("login-submit").ClickAsync();
    }

    /// <summary>The admin enrols an authenticator (as a plain user: staff without one get no staff token), then signs in to the console with it.</summary>
    private async Task<IPage> AdminWithSecondFactorAsync()
    {
        using var login = await _host.Api.Http.PostAsJsonAsync("/api/auth/login", new { login = "admin", password = StandaloneHost.AdminPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (await login.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!["token"]!.GetValue<string>();
        var enrollment = await PostAsync("/api/account/2fa/authenticator", token);
        var totp = new Totp(Base32Encoding.ToBytes(enrollment["sharedKey"]!.GetValue<string>()));
        await PostAsync("/api/account/2fa/verify", token, new { code = totp.ComputeTotp(DateTime.UtcNow) });

        var admin = await browser.NewPageAsync(1360, 900);
        await admin.GotoAsync(_host.Url("/admin"));
        await admin.TestId("admin-password").FillAsync(StandaloneHost.AdminPassword);
        await admin.TestId("admin-sign-in").ClickAsync();
        await admin.TestId("admin-2fa-code").FillAsync(totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)));
        await admin.TestId("admin-2fa-submit").ClickAsync();
        await Expect(admin.TestId("admin-nav")).ToBeVisibleAsync();
        return admin;
    }

    private Task<Uri> EmailLinkAsync(string to, string path) => Outbox.LinkAsync(_data.Path, to, path);

    private async Task<JsonObject> PostAsync(string path, string token, object? body = null)
    {
        using var response = await _host.Api.SendAsync(HttpMethod.Post, path, token, body ?? new { });
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!;
    }
}
