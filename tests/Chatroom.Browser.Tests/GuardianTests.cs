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
/// A 12-year-old signs up and can only read until a guardian approves: the minor names their parent's address on the
/// account page, the parent opens the emailed link, signs in with their authenticator and approves, and the minor can
/// then send.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class GuardianTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";
    private const string MinorEmail = "robin@example.org";
    private const string ParentEmail = "sam.parent@example.org";

    private readonly TempDirectory _data = new("chatroom-browser");
    private StandaloneHost _host = null!;

    public async Task InitializeAsync() => _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
    {
        ["Chatroom:Api:SignInsPerMinute"] = "1000",
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    /// <summary>Email links name localhost when no public URL is set.</summary>
    private string Local(string pathAndQuery) => $"http://localhost:{_host.Port}{pathAndQuery}";

    [Fact(Timeout = 240_000)]
    public async Task AGuardianWithAnAuthenticatorApprovesAMinor_WhoCanThenSend()
    {
        var born = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-12).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await RegisterAndConfirmAsync("robin", "Robin", MinorEmail, born);
        await RegisterAndConfirmAsync("sam_parent", "Sam", ParentEmail, "1984-03-09");
        var totp = await EnrolAuthenticatorAsync("sam_parent");

        // The minor signs in: the chat reads, the composer says why it is off.
        var minor = await browser.NewPageAsync(1280, 900);
        await minor.GotoAsync(Local("/"));
        await SignInAsync(minor, "robin");
        await Expect(minor.TestId("composer")).ToBeDisabledAsync();
        await Expect(minor.GetByText("waiting for your parent or guardian").First).ToBeVisibleAsync();

        // On the account page they name their parent's address.
        await minor.GotoAsync(Local("/account"));
        await Expect(minor.TestId("guardian-state")).ToContainTextAsync("waiting for your parent or guardian");
        await minor.TestId("guardian-email").FillAsync(ParentEmail);
        await minor.TestId("guardian-ask").ClickAsync();
        await Expect(minor.TestId("guardian-request")).ToContainTextAsync($"We emailed {ParentEmail}");

        // The parent opens the emailed link, signs in with password and authenticator, reads what is asked, approves.
        var link = await Outbox.LinkAsync(_data.Path, ParentEmail, "/account/guardian/consent");
        var parent = await browser.NewPageAsync(1280, 900);
        await parent.GotoAsync(Local(link.PathAndQuery));
        await Expect(parent.GetByText("A child asked for your consent").First).ToBeVisibleAsync();
        await SignInAsync(parent, "sam_parent");
        await parent.TestId("login-2fa-code").FillAsync(totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)));
        await parent.TestId("login-2fa-submit").ClickAsync();
        await Expect(parent.TestId("consent-minor")).ToHaveTextAsync("Robin");
        await Expect(parent.TestId("consent-age")).ToHaveTextAsync("12");
        await Expect(parent.TestId("consent-2fa-prompt")).ToHaveCountAsync(0);
        await parent.TestId("consent-dm").SelectOptionAsync("contacts");
        await parent.TestId("consent-approve").ClickAsync();
        await Expect(parent.TestId("consent-status")).ToContainTextAsync("You approved Robin's account");

        // My minors lists Robin as approved.
        await parent.TestId("consent-my-minors").ClickAsync();
        var row = parent.Locator("[data-testid=minor-row][data-user-name=robin]");
        await Expect(row.GetByTestId("minor-state")).ToHaveTextAsync("Approved");

        // The minor checks again: the session renews, and the chat takes their message.
        await minor.TestId("guardian-check").ClickAsync();
        await minor.TestId("guardian-go-chat").ClickAsync();
        await Expect(minor.TestId("composer")).ToBeEnabledAsync();
        await minor.SendAsync("thanks, I'm in!");
        await Expect(minor.Message("thanks, I'm in!")).ToBeVisibleAsync();
    }

    private static async Task SignInAsync(IPage page, string name)
    {
        await page.TestId("login-name").FillAsync(name);
        await page.TestId("login-password").FillAsync(Password);
        await page.TestId("login-submit").ClickAsync();
    }

    private async Task RegisterAndConfirmAsync(string userName, string displayName, string email, string dateOfBirth)
    {
        using (var register = await _host.Api.Http.PostAsJsonAsync("/api/auth/register",
                   new { userName, displayName, email, password = Password, dateOfBirth }))
        {
            Assert.Equal(HttpStatusCode.Accepted, register.StatusCode);
        }

        var link = System.Web.HttpUtility.ParseQueryString((await Outbox.LinkAsync(_data.Path, email, "/account/confirm-email")).Query);
        using var confirm = await _host.Api.Http.PostAsJsonAsync("/api/auth/confirm-email", new { userId = link["userId"], token = link["token"] });
        Assert.Equal(HttpStatusCode.NoContent, confirm.StatusCode);
    }

    /// <summary>Enrols an authenticator on the account over the API; the returned generator computes its codes.</summary>
    private async Task<Totp> EnrolAuthenticatorAsync(string userName)
    {
        using var login = await _host.Api.Http.PostAsJsonAsync("/api/auth/login", new { login = userName, password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (await login.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!["token"]!.GetValue<string>();
        using var enrol = await _host.Api.SendAsync(HttpMethod.Post, "/api/account/2fa/authenticator", token, new { });
        var key = (await enrol.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!["sharedKey"]!.GetValue<string>();
        var totp = new Totp(Base32Encoding.ToBytes(key));
        using var verify = await _host.Api.SendAsync(HttpMethod.Post, "/api/account/2fa/verify", token, new { code = totp.ComputeTotp(DateTime.UtcNow) });
        Assert.True(verify.IsSuccessStatusCode, await verify.Content.ReadAsStringAsync());
        return totp;
    }
}
