using System.Text.Json.Nodes;
using Chatroom.Testing.Passkeys;
using OtpNet;

namespace Chatroom.Accounts.Tests;

/// <summary>
/// Downloading one's own data, and the admin users routes: search, roles, resetting second factors, signing out
/// everywhere, each audited. Runs once per accounts store (see the subclasses).
/// </summary>
public abstract class AccountAdminTests(AccountsHost host)
{
    private static string S(JsonNode? node) => node!.GetValue<string>();

    [Fact]
    public async Task Export_IsADownloadOfTheAccount_WithPasskeysButNoKeyMaterial()
    {
        var account = TestAccount.New();
        var signedIn = await account.RegisterConfirmAndSignInAsync(host);
        var token = S(signedIn["token"]);
        using var authenticator = new SoftwareAuthenticator(host.Origin);
        await PasskeySteps.EnrollAsync(host, authenticator, token, "phone");

        using var response = await host.SendAsync(HttpMethod.Get, "/api/account/export", token: token);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"chatroom-account-{account.UserName}.json", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var text = await response.Content.ReadAsStringAsync();
        var export = JsonNode.Parse(text)!;
        Assert.Equal(account.UserName, S(export["profile"]!["userName"]));
        Assert.Equal(account.Email, S(export["profile"]!["email"]));
        Assert.True(export["profile"]!["emailConfirmed"]!.GetValue<bool>());
        Assert.False(export["profile"]!["twoFactorEnabled"]!.GetValue<bool>());
        Assert.Equal(new[] { "user" }, export["profile"]!["roles"]!.AsArray().Select(S));
        Assert.Equal("phone", S(Assert.Single(export["passkeys"]!.AsArray())!["name"]));
        Assert.True(Assert.Single(export["sessions"]!.AsArray())!["current"]!.GetValue<bool>());
        Assert.False(export["messages"]!["included"]!.GetValue<bool>());
        Assert.DoesNotContain("publicKey", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(account.Password, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersSearch_FindsByNamePrefix_AfterSignUpsNormalisation_AndShowsWhatStaffNeed()
    {
        var account = TestAccount.New("finder");
        var signedIn = await account.RegisterConfirmAndSignInAsync(host);
        var userId = S(signedIn["user"]!["id"]);
        var admin = await host.AdminTokenAsync();
        Assert.Equal((403, "forbidden"), await host.RefusalAsync(HttpMethod.Get, "/api/admin/users", token: S(signedIn["token"])));
        await host.PostJsonAsync($"/api/admin/users/{userId}/ban", new { reason = "flooding" }, admin);

        // Upper case and full-width letters find the name, as sign-up would have refused them as the same name.
        var query = Uri.EscapeDataString(account.UserName[..10].ToUpperInvariant().Replace("F", "Ｆ", StringComparison.Ordinal));
        var page = await host.GetJsonAsync($"/api/admin/users?q={query}&take=5", admin);
        var found = Assert.Single(page["users"]!.AsArray(), u => S(u!["id"]) == userId)!;
        Assert.Equal(account.UserName, S(found["userName"]));
        Assert.Equal(account.Email, S(found["email"]));
        Assert.Equal(new[] { "user" }, found["roles"]!.AsArray().Select(S));
        Assert.Equal(0, found["passkeys"]!.GetValue<int>());
        Assert.Equal("flooding", S(found["banned"]!["reason"]));
        Assert.False(found["disabled"]!.GetValue<bool>());
        Assert.NotNull(found["lastSignInAt"]);
        Assert.True(page["total"]!.GetValue<int>() >= 1);

        var byEmail = await host.GetJsonAsync($"/api/admin/users?q={Uri.EscapeDataString(account.Email[..12].ToUpperInvariant())}", admin);
        Assert.Contains(byEmail["users"]!.AsArray(), u => S(u!["id"]) == userId);
        var byDisplayName = await host.GetJsonAsync($"/api/admin/users?q={Uri.EscapeDataString("display " + account.UserName)}", admin);
        Assert.Contains(byDisplayName["users"]!.AsArray(), u => S(u!["id"]) == userId);

        Assert.Equal((400, "invalid_request"), await host.RefusalAsync(HttpMethod.Get, "/api/admin/users?take=101", token: admin));
    }

    [Fact]
    public async Task Roles_AreSetByAnAdmin_TakeEffectAtTheNextSignIn_AndTheLastAdminKeepsAdmin()
    {
        var account = TestAccount.New("promoted");
        var signedIn = await account.RegisterConfirmAndSignInAsync(host);
        var userId = S(signedIn["user"]!["id"]);
        var admin = await host.AdminTokenAsync();

        Assert.Equal((403, "forbidden"), await host.RefusalAsync(HttpMethod.Put, $"/api/admin/users/{userId}/roles",
            new { roles = new[] { "admin" } }, S(signedIn["token"])));
        Assert.Equal((400, "invalid_request"), await host.RefusalAsync(HttpMethod.Put, $"/api/admin/users/{userId}/roles",
            new { roles = new[] { "root" } }, admin));
        using (var set = await host.SendAsync(HttpMethod.Put, $"/api/admin/users/{userId}/roles", new { roles = new[] { "moderator" } }, admin))
        {
            var roles = JsonNode.Parse(await set.Content.ReadAsStringAsync())!["roles"]!.AsArray().Select(S);
            Assert.Equal(new[] { "moderator", "user" }, roles);
        }

        Assert.Equal((401, "unauthorized"), await host.RefusalAsync(HttpMethod.Get, "/api/account", token: S(signedIn["token"])));
        var again = await host.PostJsonAsync("/api/auth/login", new { login = account.UserName, password = account.Password });
        Assert.Equal("moderator", S(again["user"]!["role"]));

        Assert.Equal((400, "last_admin"), await host.RefusalAsync(HttpMethod.Put, "/api/admin/users/admin/roles", new { roles = new[] { "user" } }, admin));
        var audit = await host.GetArrayAsync("/api/admin/audit", admin);
        var entry = audit.First(e => S(e!["action"]) == "set_account_roles" && S(e!["targetUserId"]) == userId)!;
        Assert.Equal("admin", S(entry["actor"]));
        Assert.Equal("moderator,user", S(entry["detail"]));
    }

    [Fact]
    public async Task ResetSecondFactors_TurnsTotpOff_DeletesPasskeys_AndSignsOut()
    {
        var account = TestAccount.New("reset");
        var signedIn = await account.RegisterConfirmAndSignInAsync(host);
        var token = S(signedIn["token"]);
        var userId = S(signedIn["user"]!["id"]);
        var enrolment = await host.PostJsonAsync("/api/account/2fa/authenticator", token: token);
        var totp = new Totp(Base32Encoding.ToBytes(S(enrolment["sharedKey"])));
        var recovery = await host.PostJsonAsync("/api/account/2fa/verify", new { code = totp.ComputeTotp() }, token);
        var afterTotp = await host.PostJsonAsync("/api/auth/login/2fa", new
        {
            ticket = S((await host.PostJsonAsync("/api/auth/login", new { login = account.UserName, password = account.Password }))["ticket"]),
            recoveryCode = S(recovery["codes"]![0]),
        });
        token = S(afterTotp["token"]);
        using var authenticator = new SoftwareAuthenticator(host.Origin);
        await PasskeySteps.EnrollAsync(host, authenticator, token);

        var admin = await host.AdminTokenAsync();
        using (var reset = await host.PostAsync($"/api/admin/users/{userId}/reset-2fa", new { reason = "lost phone" }, admin))
        {
            Assert.Equal(204, (int)reset.StatusCode);
        }

        Assert.Equal((401, "unauthorized"), await host.RefusalAsync(HttpMethod.Get, "/api/account", token: token));
        var plain = await host.PostJsonAsync("/api/auth/login", new { login = account.UserName, password = account.Password });
        Assert.NotNull(plain["token"]);
        Assert.Empty(await host.GetArrayAsync("/api/account/passkeys", S(plain["token"])));
        Assert.Equal((400, "passkey_invalid"),
            await host.RefusalAsync(HttpMethod.Post, "/api/auth/passkey/login", await PasskeySteps.SignInBodyAsync(host, authenticator)));
        Assert.Contains(await host.GetArrayAsync("/api/admin/audit", admin),
            e => S(e!["action"]) == "reset_second_factors" && S(e!["targetUserId"]) == userId && S(e!["reason"]) == "lost phone");
    }

    [Fact]
    public async Task SignOut_EndsEverySessionOfTheAccount()
    {
        var account = TestAccount.New("signedout");
        var first = await account.RegisterConfirmAndSignInAsync(host);
        var second = await host.PostJsonAsync("/api/auth/login", new { login = account.UserName, password = account.Password });
        var userId = S(first["user"]!["id"]);
        var admin = await host.AdminTokenAsync();

        using (var signedOut = await host.PostAsync($"/api/admin/users/{userId}/sign-out", token: admin))
        {
            Assert.Equal(204, (int)signedOut.StatusCode);
        }

        foreach (var session in new[] { first, second })
        {
            Assert.Equal((401, "unauthorized"), await host.RefusalAsync(HttpMethod.Get, "/api/account", token: S(session["token"])));
        }

        Assert.Contains(await host.GetArrayAsync("/api/admin/audit", admin), e => S(e!["action"]) == "sign_out_account" && S(e!["targetUserId"]) == userId);
    }
}

public sealed class SqliteAccountAdminTests(SqliteAccountsFixture fixture) : AccountAdminTests(fixture.Host), IClassFixture<SqliteAccountsFixture>;

public sealed class PostgresAccountAdminTests(PostgresAccountsFixture fixture) : AccountAdminTests(fixture.Host), IClassFixture<PostgresAccountsFixture>;
