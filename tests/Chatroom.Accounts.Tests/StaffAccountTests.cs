using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Chatroom.Accounts.Data;
using Chatroom.Testing.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace Chatroom.Accounts.Tests;

/// <summary>
/// The <c>admin</c> account bootstrapped from <c>Chatroom:Admin:Password</c>, staff second factors, and account-wide
/// bans; runs once per accounts store (see the subclasses), each test on a store of its own where it restarts hosts.
/// </summary>
public abstract class StaffAccountTests(AccountsHost host) : IAsyncLifetime
{
    private readonly List<IDisposable> _stores = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task AdminPassword_BootstrapsTheAdminAccount_AndARestartNeverOverwritesAChangedPassword()
    {
        var store = NewStore();
        var settings = new Dictionary<string, string?> { ["Chatroom:Admin:Password"] = "first-admin-password" };
        await using (var first = await StartOnAsync(store, settings))
        {
            var admin = await first.PostJsonAsync("/api/auth/admin", new { password = "first-admin-password" });
            Assert.Equal("admin", S(admin["user"]!["id"]));
            Assert.Equal("admin", S(admin["user"]!["role"]));
            Assert.Equal((401, "invalid_password"), await first.RefusalAsync(HttpMethod.Post, "/api/auth/admin", new { password = "a wrong password" }));

            using var changed = await first.PostAsync("/api/account/password",
                new { currentPassword = "first-admin-password", newPassword = "changed-admin-password" }, S(admin["token"]));
            Assert.Equal(204, (int)changed.StatusCode);
        }

        await using var second = await StartOnAsync(store, settings);
        Assert.Equal((401, "invalid_password"), await second.RefusalAsync(HttpMethod.Post, "/api/auth/admin", new { password = "first-admin-password" }));
        var again = await second.PostJsonAsync("/api/auth/admin", new { password = "changed-admin-password" });
        Assert.Equal("admin", S(again["user"]!["role"]));
    }

    [Fact]
    public async Task ReplicasStartingTogether_MakeOneAdminAccount()
    {
        var store = NewStore();
        await using (await StartOnAsync(store, new Dictionary<string, string?> { ["Chatroom:Admin:Password"] = "" }))
        {
            // Only migrates (on PostgreSQL the one-shot step does that before replicas start): no password, no admin account.
        }

        var settings = new Dictionary<string, string?> { ["Chatroom:Admin:Password"] = "replica-admin-password" };
        var replicas = await Task.WhenAll(StartOnAsync(store, settings, migrate: false), StartOnAsync(store, settings, migrate: false));
        try
        {
            foreach (var replica in replicas)
            {
                var admin = await replica.PostJsonAsync("/api/auth/admin", new { password = "replica-admin-password" });
                Assert.Equal("admin", S(admin["user"]!["id"]));
            }

            await using var scope = replicas[0].Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AccountsDb>();
            Assert.Equal(1, await db.Users.CountAsync(u => u.UserName == "admin"));
            Assert.Equal(1, await db.UserRoles.CountAsync(r => r.UserId == "admin" && r.RoleId == "admin"));
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task WhereStaffNeedASecondFactor_TheAdminEnrolsOne_AndOnlyThenGetsAdminRights()
    {
        await using var strict = await StartOnAsync(NewStore(), new Dictionary<string, string?>
        {
            ["Chatroom:Admin:Password"] = "strict-admin-password",
            ["Chatroom:Auth:StaffRequireTwoFactor"] = "true",
        });
        Assert.Equal((403, "two_factor_required"), await strict.RefusalAsync(HttpMethod.Post, "/api/auth/admin", new { password = "strict-admin-password" }));

        // The password alone signs the admin account in as a plain user: enough to enrol a second factor, not to administer.
        var plain = await strict.PostJsonAsync("/api/auth/login", new { login = "admin", password = "strict-admin-password" });
        Assert.Equal("user", S(plain["user"]!["role"]));
        Assert.Equal((403, "forbidden"), await strict.RefusalAsync(HttpMethod.Get, "/api/admin/stats", token: S(plain["token"])));

        var key = S((await strict.PostJsonAsync("/api/account/2fa/authenticator", token: S(plain["token"])))["sharedKey"]);
        var totp = new Totp(Base32Encoding.ToBytes(key));
        await strict.PostJsonAsync("/api/account/2fa/verify", new { code = totp.ComputeTotp(DateTime.UtcNow) }, S(plain["token"]));

        var challenge = await strict.PostJsonAsync("/api/auth/admin", new { password = "strict-admin-password" });
        Assert.True(challenge["twoFactorRequired"]!.GetValue<bool>());
        var admin = await strict.PostJsonAsync("/api/auth/login/2fa",
            new { ticket = S(challenge["ticket"]), code = totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)) });
        Assert.Equal("admin", S(admin["user"]!["role"]));
        await strict.GetJsonAsync("/api/admin/stats", S(admin["token"]));
    }

    [Fact]
    public async Task AnAccountBan_RefusesSignInAndRefresh_SurvivesNewSessions_IsAudited_AndCanBeLifted()
    {
        var account = TestAccount.New("banned");
        var signedIn = await account.RegisterConfirmAndSignInAsync(host);
        var userId = S(signedIn["user"]!["id"]);
        var admin = await host.AdminTokenAsync();

        Assert.Equal((403, "forbidden"), await host.RefusalAsync(HttpMethod.Post, $"/api/admin/users/{userId}/ban", new { }, S(signedIn["token"])));
        Assert.Equal((404, "not_found"), await host.RefusalAsync(HttpMethod.Post, "/api/admin/users/a_nobody/ban", new { }, admin));
        Assert.Equal((400, "invalid_request"),
            await host.RefusalAsync(HttpMethod.Post, $"/api/admin/users/{userId}/ban", new { until = DateTimeOffset.UtcNow.AddHours(-1) }, admin));

        var until = new DateTimeOffset(2999, 1, 2, 3, 4, 0, TimeSpan.Zero);
        var ban = await host.PostJsonAsync($"/api/admin/users/{userId}/ban", new { until, reason = "spam in lobby" }, admin);
        Assert.Equal(until, ban["bannedUntil"]!.GetValue<DateTimeOffset>());

        // Refused with the code and until when, on sign-in and on refresh; the token it held stops working at once.
        var (status, code, detail) = await DetailAsync(HttpMethod.Post, "/api/auth/login", new { login = account.UserName, password = account.Password });
        Assert.Equal((403, "account_banned"), (status, code));
        Assert.Contains("2999-01-02 03:04", detail);
        Assert.Equal((403, "account_banned"), await host.RefusalAsync(HttpMethod.Post, "/api/auth/refresh", new { refreshToken = S(signedIn["refreshToken"]) }));
        Assert.Equal((401, "unauthorized"), await host.RefusalAsync(HttpMethod.Get, "/api/account", token: S(signedIn["token"])));

        var audit = await host.GetArrayAsync("/api/admin/audit", admin);
        var entry = audit.First(e => S(e!["action"]) == "ban_account" && S(e!["targetUserId"]) == userId)!;
        Assert.Equal("admin", S(entry["actor"]));
        Assert.Equal("spam in lobby", S(entry["reason"]));

        using (var lifted = await host.SendAsync(HttpMethod.Delete, $"/api/admin/users/{userId}/ban", token: admin))
        {
            Assert.Equal(204, (int)lifted.StatusCode);
        }

        var back = await host.PostJsonAsync("/api/auth/login", new { login = account.UserName, password = account.Password });
        Assert.Equal(userId, S(back["user"]!["id"]));
        Assert.Contains(await host.GetArrayAsync("/api/admin/audit", admin), e => S(e!["action"]) == "unban_account" && S(e!["targetUserId"]) == userId);

        // Without an end: permanently.
        await host.PostJsonAsync($"/api/admin/users/{userId}/ban", new { }, admin);
        (status, code, detail) = await DetailAsync(HttpMethod.Post, "/api/auth/login", new { login = account.UserName, password = account.Password });
        Assert.Equal((403, "account_banned"), (status, code));
        Assert.Contains("permanently", detail);
    }

    [Fact]
    public async Task ADisabledAccount_IsSignedOut_AndCannotSignInUntilEnabled()
    {
        var account = TestAccount.New("disabled");
        var signedIn = await account.RegisterConfirmAndSignInAsync(host);
        var userId = S(signedIn["user"]!["id"]);
        var admin = await host.AdminTokenAsync();

        using (var disabled = await host.PostAsync($"/api/admin/users/{userId}/disable", new { reason = "asked to" }, admin))
        {
            Assert.Equal(204, (int)disabled.StatusCode);
        }

        Assert.Equal((403, "account_disabled"), await host.RefusalAsync(HttpMethod.Post, "/api/auth/login", new { login = account.UserName, password = account.Password }));
        Assert.Equal((401, "unauthorized"), await host.RefusalAsync(HttpMethod.Get, "/api/account", token: S(signedIn["token"])));

        using (var enabled = await host.PostAsync($"/api/admin/users/{userId}/enable", token: admin))
        {
            Assert.Equal(204, (int)enabled.StatusCode);
        }

        await host.PostJsonAsync("/api/auth/login", new { login = account.UserName, password = account.Password });
    }

    [Fact]
    public async Task AGuestCannotTakeAnAccountsName_OrALookAlike()
    {
        var account = TestAccount.New("named");
        await account.RegisterAsync(host);
        foreach (var name in new[] { account.UserName, account.UserName.ToUpperInvariant(), account.UserName.Replace('a', 'а') })
        {
            Assert.Equal((409, "user_name_taken"), await host.RefusalAsync(HttpMethod.Post, "/api/auth/guest", new { name }));
        }

        await host.PostJsonAsync("/api/auth/guest", new { name = account.UserName + "x" });
    }

    /// <summary>A fresh, empty accounts store (a data folder, or a database) for hosts started with <see cref="StartOnAsync"/>.</summary>
    protected abstract string NewStore(Func<TempDirectory> track);

    protected abstract Task<AccountsHost> StartOnAsync(string store, IReadOnlyDictionary<string, string?> settings, bool migrate);

    private static string S(JsonNode? node) => node!.GetValue<string>();

    private string NewStore() => NewStore(() =>
    {
        var directory = new TempDirectory("chatroom-accounts-store");
        _stores.Add(directory);
        return directory;
    });

    private Task<AccountsHost> StartOnAsync(string store, IReadOnlyDictionary<string, string?> settings) => StartOnAsync(store, settings, migrate: true);

    private async Task<(int Status, string? Code, string Detail)> DetailAsync(HttpMethod method, string path, object body)
    {
        using var response = await host.SendAsync(method, path, body);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>(AccountsHost.Json))!;
        return ((int)response.StatusCode, problem["code"]?.GetValue<string>(), problem["detail"]?.GetValue<string>() ?? string.Empty);
    }
}

public sealed class SqliteStaffAccountTests(SqliteAccountsFixture fixture) : StaffAccountTests(fixture.Host), IClassFixture<SqliteAccountsFixture>
{
    protected override string NewStore(Func<TempDirectory> track) => track().Path;

    protected override Task<AccountsHost> StartOnAsync(string store, IReadOnlyDictionary<string, string?> settings, bool migrate) =>
        AccountsHost.StartAsync(postgres: null, settings, dataDirectory: store);
}

public sealed class PostgresStaffAccountTests(PostgresAccountsFixture fixture) : StaffAccountTests(fixture.Host), IClassFixture<PostgresAccountsFixture>
{
    protected override string NewStore(Func<TempDirectory> track) => fixture.Server.ConnectionString("staff_" + Guid.NewGuid().ToString("N")[..12]);

    protected override Task<AccountsHost> StartOnAsync(string store, IReadOnlyDictionary<string, string?> settings, bool migrate) =>
        AccountsHost.StartAsync(store, settings, migrate);
}
