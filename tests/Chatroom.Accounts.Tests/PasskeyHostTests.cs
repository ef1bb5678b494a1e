using System.Text.Json.Nodes;
using Chatroom.Testing.Passkeys;

namespace Chatroom.Accounts.Tests;

/// <summary>Passkey behaviour that needs a host of its own: strict staff rules, and a clock moved past a ceremony's end.</summary>
public sealed class PasskeyHostTests
{
    private static string S(JsonNode? node) => node!.GetValue<string>();

    [Fact]
    public async Task WhereStaffNeedASecondFactor_APasskeyAloneGivesTheAdminItsRole_AlsoAfterRefresh()
    {
        await using var host = await AccountsHost.StartAsync(null, new Dictionary<string, string?> { ["Chatroom:Auth:StaffRequireTwoFactor"] = "true" });
        var plain = await host.PostJsonAsync("/api/auth/login", new { login = "admin", password = AccountsHost.AdminPassword });
        Assert.Equal("user", S(plain["user"]!["role"]));
        using var authenticator = new SoftwareAuthenticator(host.Origin);
        await PasskeySteps.EnrollAsync(host, authenticator, S(plain["token"]));

        var admin = await PasskeySteps.SignInAsync(host, authenticator, "admin");
        Assert.Equal("admin", S(admin["user"]!["role"]));
        await host.GetJsonAsync("/api/admin/stats", S(admin["token"]));
        var refreshed = await host.PostJsonAsync("/api/auth/refresh", new { refreshToken = S(admin["refreshToken"]) });
        Assert.Equal("admin", S(refreshed["user"]!["role"]));

        // The password alone still gives a plain user token.
        var again = await host.PostJsonAsync("/api/auth/login", new { login = "admin", password = AccountsHost.AdminPassword });
        Assert.Equal("user", S(again["user"]!["role"]));
    }

    [Fact]
    public async Task ACeremonyAnsweredAfterItsLifetime_IsRefusedAsExpired()
    {
        var time = new ShiftableTime();
        await using var host = await AccountsHost.StartAsync(null, time: time);
        var signedIn = await TestAccount.New().RegisterConfirmAndSignInAsync(host);
        using var authenticator = new SoftwareAuthenticator(host.Origin);
        await PasskeySteps.EnrollAsync(host, authenticator, S(signedIn["token"]));

        var (options, state) = await PasskeySteps.SignInOptionsAsync(host);
        time.Offset = TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1);
        Assert.Equal((400, "passkey_expired"), await host.RefusalAsync(HttpMethod.Post, "/api/auth/passkey/login",
            new { credential = authenticator.Get(options), state }));

        time.Offset = TimeSpan.Zero;
        await PasskeySteps.SignInAsync(host, authenticator);
    }
}
