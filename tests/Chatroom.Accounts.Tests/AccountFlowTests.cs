using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace Chatroom.Accounts.Tests;

/// <summary>Every account flow over real HTTP; runs once per accounts store (see the subclasses).</summary>
public abstract class AccountFlowTests(AccountsHost host)
{
    private static string S(JsonNode? node) => node!.GetValue<string>();

    [Fact]
    public async Task SignUp_ConfirmByEmail_SignIn_ReadsTheAccount()
    {
        var account = TestAccount.New();
        await account.RegisterAsync(host);

        Assert.Equal((403, "email_not_confirmed"),
            await host.RefusalAsync(HttpMethod.Post, "/api/auth/login", new { login = account.UserName, password = account.Password }));
        var (userId, token) = host.Smtp.LastLink(account.Email);
        using (var confirm = await host.PostAsync("/api/auth/confirm-email", new { userId, token }))
        {
            Assert.Equal(204, (int)confirm.StatusCode);
        }

        Assert.Equal((400, "invalid_token"), await host.RefusalAsync(HttpMethod.Post, "/api/auth/confirm-email", new { userId, token }));

        var signedIn = await host.PostJsonAsync("/api/auth/login", new { login = account.Email, password = account.Password });
        Assert.Equal("user", S(signedIn["user"]!["role"]));
        var me = await host.GetJsonAsync("/api/account", S(signedIn["token"]));
        Assert.Equal(account.UserName, S(me["userName"]));
        Assert.Equal("Display " + account.UserName, S(me["displayName"]));
        Assert.Equal("1990-04-01", S(me["dateOfBirth"]));
        Assert.True(me["emailConfirmed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task WrongPassword_AndUnknownAccount_GetTheSameAnswer()
    {
        var account = TestAccount.New();
        await account.RegisterConfirmAndSignInAsync(host);

        var wrong = await host.RefusalAsync(HttpMethod.Post, "/api/auth/login", new { login = account.UserName, password = "not the password" });
        var unknown = await host.RefusalAsync(HttpMethod.Post, "/api/auth/login", new { login = "nobody_" + account.UserName, password = "not the password" });
        Assert.Equal((401, "invalid_credentials"), wrong);
        Assert.Equal(wrong, unknown);
    }

    [Fact]
    public async Task Lockout_AnswersANameWithoutAnAccount_ExactlyAsItAnswersAnAccount()
    {
        var account = TestAccount.New();
        await account.RegisterConfirmAndSignInAsync(host);
        var answers = new Dictionary<string, List<string>>();
        foreach (var name in new[] { account.UserName, "nobody_" + account.UserName })
        {
            answers[name] = [];
            for (var attempt = 0; attempt < 6; attempt++)
            {
                using var response = await host.PostAsync("/api/auth/login", new { login = name, password = "wrong guess " + attempt });
                var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                answers[name].Add($"{(int)response.StatusCode} {S(problem["code"])} {S(problem["detail"])} retry-after:{response.Headers.RetryAfter is not null}");
            }
        }

        var real = answers[account.UserName];
        Assert.StartsWith("401 invalid_credentials", real[0], StringComparison.Ordinal);
        Assert.StartsWith("429 account_locked", real[4], StringComparison.Ordinal);
        Assert.EndsWith("retry-after:True", real[5], StringComparison.Ordinal);
        Assert.Equal(real, answers["nobody_" + account.UserName]);
    }

    [Fact]
    public async Task Refresh_Rotates_AndASpentTokenRevokesItsWholeFamily()
    {
        var signedIn = await TestAccount.New().RegisterConfirmAndSignInAsync(host);
        var first = S(signedIn["refreshToken"]);

        var second = await host.PostJsonAsync("/api/auth/refresh", new { refreshToken = first });
        Assert.NotEqual(first, S(second["refreshToken"]));
        await host.GetJsonAsync("/api/account", S(second["token"]));

        // The first token again: a copy is in someone else's hands, so the session ends for both.
        Assert.Equal((401, "refresh_token_reused"), await host.RefusalAsync(HttpMethod.Post, "/api/auth/refresh", new { refreshToken = first }));
        Assert.Equal((401, "refresh_token_reused"),
            await host.RefusalAsync(HttpMethod.Post, "/api/auth/refresh", new { refreshToken = S(second["refreshToken"]) }));
        Assert.Equal((401, "unauthorized"), await host.RefusalAsync(HttpMethod.Get, "/api/account", token: S(second["token"])));
        Assert.Equal((401, "invalid_refresh_token"), await host.RefusalAsync(HttpMethod.Post, "/api/auth/refresh", new { refreshToken = "made-up" }));
    }

    [Fact]
    public async Task LogoutEverywhere_StopsEveryOldAccessToken()
    {
        var account = TestAccount.New();
        var first = await account.RegisterConfirmAndSignInAsync(host);
        var second = await host.PostJsonAsync("/api/auth/login", new { login = account.UserName, password = account.Password });

        using (var logout = await host.PostAsync("/api/auth/logout", new { everywhere = true }, S(second["token"])))
        {
            Assert.Equal(204, (int)logout.StatusCode);
        }

        Assert.Equal((401, "unauthorized"), await host.RefusalAsync(HttpMethod.Get, "/api/account", token: S(first["token"])));
        Assert.Equal((401, "unauthorized"), await host.RefusalAsync(HttpMethod.Get, "/api/account", token: S(second["token"])));
        Assert.Equal((401, "refresh_token_reused"),
            await host.RefusalAsync(HttpMethod.Post, "/api/auth/refresh", new { refreshToken = S(first["refreshToken"]) }));

        var again = await host.PostJsonAsync("/api/auth/login", new { login = account.UserName, password = account.Password });
        await host.GetJsonAsync("/api/account", S(again["token"]));
    }

    [Fact]
    public async Task Sessions_AreListed_AndOneCanBeSignedOut()
    {
        var account = TestAccount.New();
        var phone = await account.RegisterConfirmAndSignInAsync(host);
        var laptop = await host.PostJsonAsync("/api/auth/login", new { login = account.UserName, password = account.Password });

        using var list = await host.SendAsync(HttpMethod.Get, "/api/account/sessions", token: S(laptop["token"]));
        var sessions = JsonNode.Parse(await list.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(2, sessions.Count);
        var other = sessions.Single(s => !s!["current"]!.GetValue<bool>())!;

        using (var revoke = await host.SendAsync(HttpMethod.Delete, $"/api/account/sessions/{S(other["id"])}", token: S(laptop["token"])))
        {
            Assert.Equal(204, (int)revoke.StatusCode);
        }

        Assert.Equal((401, "unauthorized"), await host.RefusalAsync(HttpMethod.Get, "/api/account", token: S(phone["token"])));
        Assert.Equal((401, "refresh_token_reused"),
            await host.RefusalAsync(HttpMethod.Post, "/api/auth/refresh", new { refreshToken = S(phone["refreshToken"]) }));
        await host.GetJsonAsync("/api/account", S(laptop["token"]));

        using (var logout = await host.PostAsync("/api/auth/logout", new { everywhere = false }, S(laptop["token"])))
        {
            Assert.Equal(204, (int)logout.StatusCode);
        }

        Assert.Equal((401, "unauthorized"), await host.RefusalAsync(HttpMethod.Get, "/api/account", token: S(laptop["token"])));
    }

    [Fact]
    public async Task Totp_Enrol_SignInWithCode_ReplayAndWrongCodesAreRefused_RecoveryCodesWorkOnce()
    {
        var account = TestAccount.New();
        var signedIn = await account.RegisterConfirmAndSignInAsync(host);
        var token = S(signedIn["token"]);

        Assert.Equal((409, "authenticator_not_enrolled"), await host.RefusalAsync(HttpMethod.Post, "/api/account/2fa/verify", new { code = "123456" }, token));
        var enrolment = await host.PostJsonAsync("/api/account/2fa/authenticator", token: token);
        var key = S(enrolment["sharedKey"]);
        Assert.StartsWith("otpauth://totp/Chatroom:", S(enrolment["authenticatorUri"]));
        var totp = new Totp(Base32Encoding.ToBytes(key));

        var codes = await host.PostJsonAsync("/api/account/2fa/verify", new { code = totp.ComputeTotp(DateTime.UtcNow) }, token);
        var recovery = codes["codes"]!.AsArray().Select(c => S(c)).ToList();
        Assert.Equal(10, recovery.Count);

        var challenge = await host.PostJsonAsync("/api/auth/login", new { login = account.UserName, password = account.Password });
        Assert.True(challenge["twoFactorRequired"]!.GetValue<bool>());
        Assert.Null(challenge["token"]);
        var ticket = S(challenge["ticket"]);

        Assert.Equal((401, "invalid_two_factor_code"), await host.RefusalAsync(HttpMethod.Post, "/api/auth/login/2fa", new { ticket, code = "000000" }));
        Assert.Equal((401, "invalid_two_factor_ticket"),
            await host.RefusalAsync(HttpMethod.Post, "/api/auth/login/2fa", new { ticket = ticket + "x", code = "000000" }));

        // The next step's code (the window allows one step of drift): later than the one spent on enrolment.
        var next = totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30));
        var tokens = await host.PostJsonAsync("/api/auth/login/2fa", new { ticket, code = next });
        await host.GetJsonAsync("/api/account", S(tokens["token"]));
        Assert.Equal((401, "invalid_two_factor_ticket"), await host.RefusalAsync(HttpMethod.Post, "/api/auth/login/2fa", new { ticket, code = next }));

        var replayTicket = S((await host.PostJsonAsync("/api/auth/login", new { login = account.UserName, password = account.Password }))["ticket"]);
        Assert.Equal((401, "two_factor_code_reused"),
            await host.RefusalAsync(HttpMethod.Post, "/api/auth/login/2fa", new { ticket = replayTicket, code = next }));

        var withRecovery = await host.PostJsonAsync("/api/auth/login/2fa", new { ticket = replayTicket, recoveryCode = recovery[0] });
        await host.GetJsonAsync("/api/account", S(withRecovery["token"]));
        var spentTicket = S((await host.PostJsonAsync("/api/auth/login", new { login = account.UserName, password = account.Password }))["ticket"]);
        Assert.Equal((401, "invalid_two_factor_code"),
            await host.RefusalAsync(HttpMethod.Post, "/api/auth/login/2fa", new { ticket = spentTicket, recoveryCode = recovery[0] }));

        var status = await host.GetJsonAsync("/api/account/2fa", S(withRecovery["token"]));
        Assert.True(status["enabled"]!.GetValue<bool>());
        Assert.Equal(9, status["recoveryCodesLeft"]!.GetValue<int>());
        using (var disable = await host.PostAsync("/api/account/2fa/disable", new { password = account.Password }, S(withRecovery["token"])))
        {
            Assert.Equal(204, (int)disable.StatusCode);
        }

        var plain = await host.PostJsonAsync("/api/auth/login", new { login = account.UserName, password = account.Password });
        Assert.NotNull(plain["token"]);
    }

    [Fact]
    public async Task RepeatedWrongPasswords_LockTheAccount_EvenForTheRightPassword()
    {
        var account = TestAccount.New();
        await account.RegisterConfirmAndSignInAsync(host);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal((401, "invalid_credentials"),
                await host.RefusalAsync(HttpMethod.Post, "/api/auth/login", new { login = account.UserName, password = "wrong password " + i }));
        }

        Assert.Equal((429, "account_locked"),
            await host.RefusalAsync(HttpMethod.Post, "/api/auth/login", new { login = account.UserName, password = "wrong password 5" }));
        Assert.Equal((429, "account_locked"),
            await host.RefusalAsync(HttpMethod.Post, "/api/auth/login", new { login = account.UserName, password = account.Password }));
    }

    [Fact]
    public async Task ForgotAndResetPassword_SignsOutEverywhere_AndTheLinkWorksOnce()
    {
        var account = TestAccount.New();
        var before = await account.RegisterConfirmAndSignInAsync(host);

        using (var unknown = await host.PostAsync("/api/auth/forgot-password", new { email = "nobody-" + account.Email }))
        using (var known = await host.PostAsync("/api/auth/forgot-password", new { email = account.Email }))
        {
            Assert.Equal(202, (int)unknown.StatusCode);
            Assert.Equal(202, (int)known.StatusCode);
            Assert.Equal(await unknown.Content.ReadAsStringAsync(), await known.Content.ReadAsStringAsync());
        }

        Assert.Empty(host.Smtp.To("nobody-" + account.Email));
        var (userId, token) = host.Smtp.LastLink(account.Email);
        Assert.Equal((400, "password_too_long"),
            await host.RefusalAsync(HttpMethod.Post, "/api/auth/reset-password", new { userId, token, password = new string('p', 10_000) }));
        using (var reset = await host.PostAsync("/api/auth/reset-password", new { userId, token, password = "a brand new password" }))
        {
            Assert.Equal(204, (int)reset.StatusCode);
        }

        Assert.Equal((400, "invalid_token"),
            await host.RefusalAsync(HttpMethod.Post, "/api/auth/reset-password", new { userId, token, password = "another new password" }));
        Assert.Equal((401, "unauthorized"), await host.RefusalAsync(HttpMethod.Get, "/api/account", token: S(before["token"])));
        Assert.Equal((401, "invalid_credentials"),
            await host.RefusalAsync(HttpMethod.Post, "/api/auth/login", new { login = account.UserName, password = account.Password }));
        await host.PostJsonAsync("/api/auth/login", new { login = account.UserName, password = "a brand new password" });
    }

    [Fact]
    public async Task NamesThatLookTheSameAsATakenName_AreRefused()
    {
        var suffix = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        var original = new TestAccount($"alice_{suffix}", $"alice-{suffix}@example.com", "correct horse battery");
        await original.RegisterAsync(host);

        string[] lookAlikes =
        [
            $"ALICE_{suffix}",                 // case
            $"ａｌｉｃｅ＿{suffix}",            // full width
            $"\u0430lice_{suffix}",            // Cyrillic а
            $"aIice_{suffix}",                 // capital I for l
            $"a1ice_{suffix}",                 // digit one for l
        ];
        foreach (var name in lookAlikes)
        {
            var copy = original with { UserName = name, Email = $"copy-{Guid.NewGuid():N}@example.com" };
            Assert.Equal((409, "user_name_taken"), await host.RefusalAsync(HttpMethod.Post, "/api/auth/register", copy.Registration));
        }
    }

    [Fact]
    public async Task BadInput_IsRefusedWithItsCode_AndCreatesNoAccount()
    {
        var account = TestAccount.New();
        var cases = new (object Body, string Code)[]
        {
            (new { userName = account.UserName, email = account.Email, password = new string('x', 10 * 1024), dateOfBirth = "1990-01-01" }, "password_too_long"),
            (new { userName = account.UserName, email = account.Email, password = "short", dateOfBirth = "1990-01-01" }, "weak_password"),
            (new { userName = account.UserName + "\r\nBcc: victim@example.com", email = account.Email, password = account.Password, dateOfBirth = "1990-01-01" }, "invalid_user_name"),
            (new { userName = account.UserName, displayName = "Eve\r\nBcc: victim@example.com", email = account.Email, password = account.Password, dateOfBirth = "1990-01-01" }, "invalid_name"),
            (new { userName = account.UserName, email = account.Email + "\r\nBcc: victim@example.com", password = account.Password, dateOfBirth = "1990-01-01" }, "invalid_email"),
            (new { userName = account.UserName, email = "Eve <" + account.Email + ">", password = account.Password, dateOfBirth = "1990-01-01" }, "invalid_email"),
            (new { userName = account.UserName, email = account.Email, password = account.Password, dateOfBirth = "2999-01-01" }, "invalid_date_of_birth"),
            (new { userName = "ab", email = account.Email, password = account.Password, dateOfBirth = "1990-01-01" }, "invalid_user_name"),
            (new { userName = "Admin", email = account.Email, password = account.Password, dateOfBirth = "1990-01-01" }, "invalid_user_name"),
        };
        foreach (var (body, code) in cases)
        {
            Assert.Equal((400, code), await host.RefusalAsync(HttpMethod.Post, "/api/auth/register", body));
        }

        Assert.Equal((400, "password_too_long"),
            await host.RefusalAsync(HttpMethod.Post, "/api/auth/login", new { login = account.UserName, password = new string('x', 10 * 1024) }));
        Assert.Empty(host.Smtp.To(account.Email));
        await account.RegisterAsync(host);
    }

    [Fact]
    public async Task AMailServerRefusal_LeavesNoHalfCreatedAccount()
    {
        var account = TestAccount.New() with { Email = $"someone-{Guid.NewGuid():N}@{SmtpCapture.RefusedDomain}" };
        using (var refused = await host.PostAsync("/api/auth/register", account.Registration))
        {
            Assert.False(refused.IsSuccessStatusCode);
        }

        Assert.Equal((401, "invalid_credentials"),
            await host.RefusalAsync(HttpMethod.Post, "/api/auth/login", new { login = account.UserName, password = account.Password }));
        await (account with { Email = $"someone-{Guid.NewGuid():N}@example.com" }).RegisterConfirmAndSignInAsync(host);
    }

    [Fact]
    public async Task SigningUpWithATakenAddress_LooksTheSame_AndTellsTheOwner()
    {
        var owner = TestAccount.New();
        await owner.RegisterConfirmAndSignInAsync(host);
        var intruder = TestAccount.New() with { Email = owner.Email };

        await intruder.RegisterAsync(host);
        Assert.Equal("Someone tried to sign up with your address", host.Smtp.To(owner.Email)[^1].Subject);
        Assert.Equal((401, "invalid_credentials"),
            await host.RefusalAsync(HttpMethod.Post, "/api/auth/login", new { login = intruder.UserName, password = intruder.Password }));
    }

    [Fact]
    public async Task TwoSimultaneousSignUpsWithOneAddress_MakeExactlyOneAccount()
    {
        // Several rounds, so the two requests really overlap in some of them; the unique index decides every round.
        for (var round = 0; round < 5; round++)
        {
            var address = $"race-{Guid.NewGuid():N}@example.com";
            var contenders = new[] { TestAccount.New("race") with { Email = address }, TestAccount.New("race") with { Email = address } };
            var answers = await Task.WhenAll(contenders.Select(c => host.PostAsync("/api/auth/register", c.Registration)));
            foreach (var answer in answers)
            {
                // The one that lost looks the same as any sign-up with a taken address: nothing says an account exists.
                Assert.Equal(202, (int)answer.StatusCode);
                answer.Dispose();
            }

            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<Chatroom.Accounts.Data.AccountsDb>();
            var names = contenders.Select(c => c.UserName).ToList();
            var made = await db.Users.Where(u => names.Contains(u.UserName!)).Select(u => u.UserName).ToListAsync();
            Assert.Single(made);
            var messages = host.Smtp.To(address).Select(m => m.Subject).ToList();
            Assert.Equal(2, messages.Count);
            Assert.Contains("Someone tried to sign up with your address", messages);

            // The winner confirms and signs in; the loser's name stayed free and its password signs nobody in.
            var winner = contenders.Single(c => c.UserName == made[0]);
            var loser = contenders.Single(c => c.UserName != made[0]);
            var (userId, token) = SmtpCapture.LinkIn(host.Smtp.To(address).Single(m => m.Subject != "Someone tried to sign up with your address"));
            using (var confirmed = await host.PostAsync("/api/auth/confirm-email", new { userId, token }))
            {
                Assert.Equal(204, (int)confirmed.StatusCode);
            }

            await host.PostJsonAsync("/api/auth/login", new { login = winner.UserName, password = winner.Password });
            Assert.Equal((401, "invalid_credentials"),
                await host.RefusalAsync(HttpMethod.Post, "/api/auth/login", new { login = loser.UserName, password = loser.Password }));
        }
    }

    [Fact]
    public async Task DeletedAccount_OldTokensStopWorking()
    {
        var account = TestAccount.New();
        var signedIn = await account.RegisterConfirmAndSignInAsync(host);
        var token = S(signedIn["token"]);
        Assert.Equal((401, "invalid_password"), await host.RefusalAsync(HttpMethod.Delete, "/api/account", new { password = "wrong password" }, token));

        using (var delete = await host.SendAsync(HttpMethod.Delete, "/api/account", new { password = account.Password }, token))
        {
            Assert.Equal(204, (int)delete.StatusCode);
        }

        Assert.Equal((401, "unauthorized"), await host.RefusalAsync(HttpMethod.Get, "/api/account", token: token));
        Assert.Equal((401, "invalid_refresh_token"),
            await host.RefusalAsync(HttpMethod.Post, "/api/auth/refresh", new { refreshToken = S(signedIn["refreshToken"]) }));
        Assert.Equal((401, "invalid_credentials"),
            await host.RefusalAsync(HttpMethod.Post, "/api/auth/login", new { login = account.UserName, password = account.Password }));
    }

    [Fact]
    public async Task GuestAndAdminSignIn_StillWork_AndGuestsHaveNoAccount()
    {
        var guest = await host.PostJsonAsync("/api/auth/guest", new { name = "Visitor" });
        Assert.Equal("guest", S(guest["user"]!["role"]));
        Assert.Equal((403, "account_required"), await host.RefusalAsync(HttpMethod.Get, "/api/account", token: S(guest["token"])));

        var admin = await host.PostJsonAsync("/api/auth/admin", new { password = AccountsHost.AdminPassword });
        Assert.Equal("admin", S(admin["user"]!["role"]));
    }
}

public sealed class SqliteAccountFlowTests(SqliteAccountsFixture fixture) : AccountFlowTests(fixture.Host), IClassFixture<SqliteAccountsFixture>;

public sealed class PostgresAccountFlowTests(PostgresAccountsFixture fixture) : AccountFlowTests(fixture.Host), IClassFixture<PostgresAccountsFixture>;
