using System.Text.Json.Nodes;
using OtpNet;

namespace Chatroom.Accounts.Tests.EndToEnd;

/// <summary>The steps of the guardian flow every guardian test takes: a minor asking, a guardian with TOTP, the emailed link.</summary>
public static class GuardianSteps
{
    public static string S(JsonNode? node) => node!.GetValue<string>();

    /// <summary>A 12-year-old signed up, confirmed and signed in: the token response.</summary>
    public static async Task<(TestAccount Account, JsonObject Tokens)> MinorAsync(AccountsHost host, int age = 12)
    {
        var minor = TestAccount.Aged(age);
        return (minor, await minor.RegisterConfirmAndSignInAsync(host));
    }

    /// <summary>The minor names <paramref name="guardianEmail"/>; returns the token of the link the guardian received.</summary>
    public static async Task<string> AskAsync(AccountsHost host, string minorToken, string guardianEmail)
    {
        var before = host.Smtp.To(guardianEmail).Count;
        await host.PostJsonAsync("/api/account/guardian", new { email = guardianEmail }, minorToken);
        var messages = host.Smtp.To(guardianEmail);
        Assert.Equal(before + 1, messages.Count);
        return ConsentToken(messages[^1]);
    }

    /// <summary>The token of the one link in a consent email (<c>/account/guardian/consent?token=…</c>).</summary>
    public static string ConsentToken(MimeKit.MimeMessage message)
    {
        var link = (message.TextBody ?? string.Empty).Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("http", StringComparison.Ordinal));
        var uri = new Uri(link);
        Assert.Equal("/account/guardian/consent", uri.AbsolutePath);
        return System.Web.HttpUtility.ParseQueryString(uri.Query)["token"]!;
    }

    /// <summary>An adult who signed up, enrolled an authenticator and signed in again with its code: the token.</summary>
    public static async Task<(TestAccount Account, string Token)> GuardianWithTotpAsync(AccountsHost host)
    {
        var guardian = TestAccount.New("parent");
        return (guardian, await EnrolTotpAsync(host, guardian, S((await guardian.RegisterConfirmAndSignInAsync(host))["token"])));
    }

    /// <summary>Enrols an authenticator on a signed-in account and signs in again with its code: the new token.</summary>
    public static async Task<string> EnrolTotpAsync(AccountsHost host, TestAccount account, string token)
    {
        var key = S((await host.PostJsonAsync("/api/account/2fa/authenticator", token: token))["sharedKey"]);
        var totp = new Totp(Base32Encoding.ToBytes(key));
        await host.PostJsonAsync("/api/account/2fa/verify", new { code = totp.ComputeTotp(DateTime.UtcNow) }, token);

        // Enabling TOTP changed the security stamp: sign in again, now with the next step's code (the one above is spent).
        var ticket = S((await host.PostJsonAsync("/api/auth/login", new { login = account.UserName, password = account.Password }))["ticket"]);
        var tokens = await host.PostJsonAsync("/api/auth/login/2fa", new { ticket, code = totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)) });
        return S(tokens["token"]);
    }

    /// <summary>Posts to the lobby over REST: the status and the stable code of a refusal (null on success).</summary>
    public static async Task<(int Status, string? Code)> PostToLobbyAsync(AccountsHost host, string token)
    {
        using var response = await host.PostAsync("/api/rooms/lobby/messages", new { text = "hello from " + Guid.NewGuid().ToString("N")[..6] }, token);
        return response.IsSuccessStatusCode ? ((int)response.StatusCode, null) : await AccountsHost.ProblemAsync(response);
    }

    /// <summary>A fresh access token from the refresh token (what the web app does once the guardian approved).</summary>
    public static async Task<string> RefreshAsync(AccountsHost host, JsonObject tokens) =>
        S((await host.PostJsonAsync("/api/auth/refresh", new { refreshToken = S(tokens["refreshToken"]) }))["token"]);
}
