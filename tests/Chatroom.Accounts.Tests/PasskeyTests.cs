using System.Text.Json.Nodes;
using Chatroom.Testing.Passkeys;

namespace Chatroom.Accounts.Tests;

/// <summary>
/// Passkeys over real HTTP with a software ES256 authenticator: enrol, list, rename, sign in without a password, delete,
/// and the answers that must be refused without storing anything. Runs once per accounts store (see the subclasses).
/// </summary>
public abstract class PasskeyTests(AccountsHost host)
{
    private static string S(JsonNode? node) => node!.GetValue<string>();

    [Fact]
    public async Task Enrol_List_Rename_SignInWithoutAPassword_ThenDelete_AndItNoLongerSignsIn()
    {
        var account = TestAccount.New();
        var signedIn = await account.RegisterConfirmAndSignInAsync(host);
        var token = S(signedIn["token"]);
        using var authenticator = new SoftwareAuthenticator(host.Origin);

        var enrolled = await PasskeySteps.EnrollAsync(host, authenticator, token, "work laptop");
        Assert.Equal(authenticator.Id, S(enrolled["id"]));
        Assert.Equal("work laptop", S(enrolled["name"]));

        // Enrolling keeps the page signed in.
        var listed = await host.GetArrayAsync("/api/account/passkeys", token);
        var passkey = Assert.Single(listed)!;
        Assert.Equal(authenticator.Id, S(passkey["id"]));
        Assert.Null(passkey["lastUsedAt"]);

        using (var renamed = await host.SendAsync(HttpMethod.Patch, $"/api/account/passkeys/{authenticator.Id}", new { name = "old laptop" }, token))
        {
            Assert.Equal(204, (int)renamed.StatusCode);
        }

        var byPasskey = await PasskeySteps.SignInAsync(host, authenticator);
        Assert.Equal("user", S(byPasskey["user"]!["role"]));
        var me = await host.GetJsonAsync("/api/account", S(byPasskey["token"]));
        Assert.Equal(account.UserName, S(me["userName"]));
        passkey = Assert.Single(await host.GetArrayAsync("/api/account/passkeys", token))!;
        Assert.Equal("old laptop", S(passkey["name"]));
        Assert.NotNull(passkey["lastUsedAt"]);

        // Naming the account works too.
        await PasskeySteps.SignInAsync(host, authenticator, account.UserName);

        using (var deleted = await host.SendAsync(HttpMethod.Delete, $"/api/account/passkeys/{authenticator.Id}", token: token))
        {
            Assert.Equal(204, (int)deleted.StatusCode);
        }

        Assert.Empty(await host.GetArrayAsync("/api/account/passkeys", token));
        Assert.Equal((400, "passkey_invalid"),
            await host.RefusalAsync(HttpMethod.Post, "/api/auth/passkey/login", await PasskeySteps.SignInBodyAsync(host, authenticator)));
        var admin = await host.AdminTokenAsync();
        Assert.Contains(await host.GetArrayAsync("/api/admin/audit", admin),
            e => S(e!["action"]) == "delete_passkey" && S(e!["actor"]) == account.UserName && S(e!["detail"]) == "old laptop");
    }

    [Fact]
    public async Task AReplayedAssertion_AndACounterThatDidNotMove_AreRefused()
    {
        var token = S((await TestAccount.New().RegisterConfirmAndSignInAsync(host))["token"]);
        using var authenticator = new SoftwareAuthenticator(host.Origin);
        await PasskeySteps.EnrollAsync(host, authenticator, token);

        var body = await PasskeySteps.SignInBodyAsync(host, authenticator);
        await host.PostJsonAsync("/api/auth/passkey/login", body);
        Assert.Equal((400, "passkey_replayed"), await host.RefusalAsync(HttpMethod.Post, "/api/auth/passkey/login", body));

        // A fresh ceremony, but the authenticator's counter went back (a cloned authenticator).
        var (options, state) = await PasskeySteps.SignInOptionsAsync(host);
        var cloned = authenticator.Get(options, signCount: authenticator.SignCount);
        Assert.Equal((400, "passkey_replayed"), await host.RefusalAsync(HttpMethod.Post, "/api/auth/passkey/login", new { credential = cloned, state }));

        await PasskeySteps.SignInAsync(host, authenticator);
    }

    [Fact]
    public async Task AnAnswerFromAnotherOrigin_IsRefused_AndNothingIsStored()
    {
        var token = S((await TestAccount.New().RegisterConfirmAndSignInAsync(host))["token"]);
        using var phished = new SoftwareAuthenticator("https://chatroom.example.evil");
        var begun = await host.PostJsonAsync("/api/account/passkeys/options", token: token);
        Assert.Equal((400, "passkey_origin"), await host.RefusalAsync(HttpMethod.Post, "/api/account/passkeys",
            new { credential = phished.Create(begun["options"]!), state = S(begun["state"]), name = "phished" }, token));
        Assert.Empty(await host.GetArrayAsync("/api/account/passkeys", token));

        using var authenticator = new SoftwareAuthenticator(host.Origin);
        await PasskeySteps.EnrollAsync(host, authenticator, token);
        Assert.Equal((400, "passkey_origin"), await host.RefusalAsync(HttpMethod.Post, "/api/auth/passkey/login",
            await PasskeySteps.SignInBodyAsync(host, authenticator, origin: "https://chatroom.example.evil")));
    }

    [Fact]
    public async Task APasskeyOnlySignsInItsNamedAccount_AndAnUnknownNameGetsTheSameAnswer()
    {
        var token = S((await TestAccount.New().RegisterConfirmAndSignInAsync(host))["token"]);
        using var authenticator = new SoftwareAuthenticator(host.Origin);
        await PasskeySteps.EnrollAsync(host, authenticator, token);
        var other = TestAccount.New();
        await other.RegisterConfirmAndSignInAsync(host);

        var otherName = await host.RefusalAsync(HttpMethod.Post, "/api/auth/passkey/login",
            await PasskeySteps.SignInBodyAsync(host, authenticator, other.UserName));
        var unknownName = await host.RefusalAsync(HttpMethod.Post, "/api/auth/passkey/login",
            await PasskeySteps.SignInBodyAsync(host, authenticator, "nobody_" + other.UserName));
        Assert.Equal((400, "passkey_invalid"), otherName);
        Assert.Equal(otherName, unknownName);

        // A passkey the server never saw.
        using var stranger = new SoftwareAuthenticator(host.Origin);
        var (options, _) = await PasskeySteps.SignInOptionsAsync(host);
        stranger.Create(new JsonObject
        {
            ["rp"] = new JsonObject { ["id"] = options["rpId"]!.GetValue<string>() },
            ["user"] = new JsonObject { ["id"] = "YV9ub2JvZHk" },
            ["challenge"] = options["challenge"]!.GetValue<string>(),
        });
        Assert.Equal((400, "passkey_invalid"),
            await host.RefusalAsync(HttpMethod.Post, "/api/auth/passkey/login", await PasskeySteps.SignInBodyAsync(host, stranger)));
    }

    [Fact]
    public async Task ABannedAccountsPasskey_IsRefusedLikeItsPassword()
    {
        var account = TestAccount.New();
        var signedIn = await account.RegisterConfirmAndSignInAsync(host);
        using var authenticator = new SoftwareAuthenticator(host.Origin);
        await PasskeySteps.EnrollAsync(host, authenticator, S(signedIn["token"]));
        var admin = await host.AdminTokenAsync();
        await host.PostJsonAsync($"/api/admin/users/{S(signedIn["user"]!["id"])}/ban", new { reason = "spam" }, admin);

        Assert.Equal((403, "account_banned"),
            await host.RefusalAsync(HttpMethod.Post, "/api/auth/passkey/login", await PasskeySteps.SignInBodyAsync(host, authenticator)));
    }

    [Fact]
    public async Task OversizedCredentials_UnknownStates_AndAStateOfTheWrongKind_AreRefused()
    {
        var token = S((await TestAccount.New().RegisterConfirmAndSignInAsync(host))["token"]);
        var begun = await host.PostJsonAsync("/api/account/passkeys/options", token: token);
        var oversized = new JsonObject { ["id"] = "x", ["padding"] = new string('a', 20_000) };
        Assert.Equal((413, "payload_too_large"), await host.RefusalAsync(HttpMethod.Post, "/api/account/passkeys",
            new { credential = oversized, state = S(begun["state"]), name = "big" }, token));
        Assert.Equal((400, "passkey_invalid"), await host.RefusalAsync(HttpMethod.Post, "/api/auth/passkey/login",
            new { credential = new JsonObject { ["id"] = "x" }, state = "not-a-state" }));

        // An enrolment's state does not finish a sign-in.
        var fresh = await host.PostJsonAsync("/api/account/passkeys/options", token: token);
        Assert.Equal((400, "passkey_invalid"), await host.RefusalAsync(HttpMethod.Post, "/api/auth/passkey/login",
            new { credential = new JsonObject { ["id"] = "x" }, state = S(fresh["state"]) }));
        Assert.Empty(await host.GetArrayAsync("/api/account/passkeys", token));
    }
}

public sealed class SqlitePasskeyTests(SqliteAccountsFixture fixture) : PasskeyTests(fixture.Host), IClassFixture<SqliteAccountsFixture>;

public sealed class PostgresPasskeyTests(PostgresAccountsFixture fixture) : PasskeyTests(fixture.Host), IClassFixture<PostgresAccountsFixture>;
