using System.Text.Json.Nodes;
using Chatroom.Core.Bus;
using Chatroom.Core.Contacts;
using Chatroom.Core.GuardianCases;
using Microsoft.Extensions.DependencyInjection;
using static Chatroom.Accounts.Tests.EndToEnd.GuardianSteps;

namespace Chatroom.Accounts.Tests.EndToEnd;

/// <summary>
/// Minors and guardian consent over real HTTP, with the consent email through a real SMTP server on loopback and the
/// guardian's TOTP; runs once per accounts store (see the subclasses).
/// </summary>
public abstract class GuardianConsentTests(AccountsHost host)
{
    [Fact]
    public async Task Minor_CannotSendUntilAGuardianWithTotpApproves_ThenSendsAfterRefresh()
    {
        var (minor, minorTokens) = await MinorAsync(host);
        var minorToken = S(minorTokens["token"]);

        // Waiting: reading the public room works, sending does not.
        Assert.Equal((403, "guardian_consent_required"), await PostToLobbyAsync(host, minorToken));
        await host.GetJsonAsync("/api/rooms/lobby/messages", minorToken);
        var status = await host.GetJsonAsync("/api/account/guardian", minorToken);
        Assert.True(status["required"]!.GetValue<bool>());
        Assert.Equal("pending", S(status["state"]));
        Assert.Equal("contacts", S(status["directMessages"]));

        var (guardian, guardianToken) = await GuardianWithTotpAsync(host);
        var consent = await AskAsync(host, minorToken, guardian.Email);
        var mail = host.Smtp.To(guardian.Email)[^1];
        Assert.Contains(minor.UserName, mail.TextBody, StringComparison.Ordinal);
        Assert.Equal(guardian.Email, S((await host.GetJsonAsync("/api/account/guardian", minorToken))["guardianEmail"]));

        var view = await host.GetJsonAsync($"/api/guardian/consents/{consent}", guardianToken);
        Assert.Equal(minor.UserName, S(view["minor"]!["userName"]));
        Assert.Equal(12, view["minor"]!["age"]!.GetValue<int>());
        Assert.Equal("contacts", S(view["allowed"]!["directMessages"]));
        Assert.True(view["you"]!["adult"]!.GetValue<bool>());
        Assert.True(view["you"]!["secondFactor"]!.GetValue<bool>());

        var decided = await host.PostJsonAsync($"/api/guardian/consents/{consent}", new { decision = "approve" }, guardianToken);
        Assert.Equal("approved", S(decided["state"]));

        // The old token still carries the waiting claim; the refreshed one does not.
        Assert.Equal((403, "guardian_consent_required"), await PostToLobbyAsync(host, minorToken));
        var refreshed = await RefreshAsync(host, minorTokens);
        Assert.Equal((201, null), await PostToLobbyAsync(host, refreshed));

        var minors = await host.GetArrayAsync("/api/guardian/minors", guardianToken);
        var listed = Assert.Single(minors);
        Assert.Equal(minor.UserName, S(listed!["userName"]));
        Assert.Equal("approved", S(listed["state"]));

        var audit = await host.GetArrayAsync("/api/admin/audit?limit=200", await host.AdminTokenAsync());
        var targetId = S(listed["id"]);
        Assert.Contains(audit, e => S(e!["action"]) == "guardian_approve" && S(e["targetUserId"]) == targetId && S(e["actor"]) == guardian.UserName);
        Assert.Contains(audit, e => S(e!["action"]) == "guardian_request" && S(e["targetUserId"]) == targetId);

        var projected = await host.Services.GetRequiredService<IParticipantStore>().GetAsync(targetId, CancellationToken.None);
        Assert.Equal(GuardianStates.Approved, projected!.GuardianState);
        Assert.NotNull(projected.GuardianUserId);
        Assert.True(projected.IsMinorOn(DateOnly.FromDateTime(DateTime.UtcNow)));
    }

    [Fact]
    public async Task ConsentLink_IsSingleUse_AndRefusedToTheMinorItself_AndReplacedByANewerOne()
    {
        var (_, minorTokens) = await MinorAsync(host);
        var minorToken = S(minorTokens["token"]);
        var (guardian, guardianToken) = await GuardianWithTotpAsync(host);
        var first = await AskAsync(host, minorToken, guardian.Email);
        var second = await AskAsync(host, minorToken, guardian.Email);

        Assert.Equal((404, "consent_invalid"), await host.RefusalAsync(HttpMethod.Get, $"/api/guardian/consents/{first}", token: guardianToken));
        Assert.Equal((404, "consent_invalid"), await host.RefusalAsync(HttpMethod.Get, "/api/guardian/consents/not-a-token", token: guardianToken));
        Assert.Equal((403, "consent_own_account"), await host.RefusalAsync(HttpMethod.Get, $"/api/guardian/consents/{second}", token: minorToken));
        Assert.Equal((403, "consent_own_account"),
            await host.RefusalAsync(HttpMethod.Post, $"/api/guardian/consents/{second}", new { decision = "approve" }, minorToken));
        Assert.Equal((400, "invalid_request"),
            await host.RefusalAsync(HttpMethod.Post, $"/api/guardian/consents/{second}", new { decision = "maybe" }, guardianToken));

        await host.PostJsonAsync($"/api/guardian/consents/{second}", new { decision = "approve", directMessages = "off" }, guardianToken);
        Assert.Equal((410, "consent_used"), await host.RefusalAsync(HttpMethod.Post, $"/api/guardian/consents/{second}", new { decision = "decline" }, guardianToken));
        Assert.Equal((410, "consent_used"), await host.RefusalAsync(HttpMethod.Get, $"/api/guardian/consents/{second}", token: guardianToken));
        Assert.Equal("off", S(Assert.Single(await host.GetArrayAsync("/api/guardian/minors", guardianToken))!["directMessages"]));

        // Approved: asking again is not needed.
        Assert.Equal((409, "guardian_not_needed"), await host.RefusalAsync(HttpMethod.Post, "/api/account/guardian", new { email = guardian.Email }, minorToken));
    }

    [Fact]
    public async Task GuardianWithoutSecondFactor_OrAMinor_CannotDecide()
    {
        var (_, minorTokens) = await MinorAsync(host);
        var minorToken = S(minorTokens["token"]);
        var plain = TestAccount.New("parent");
        var plainToken = S((await plain.RegisterConfirmAndSignInAsync(host))["token"]);
        var consent = await AskAsync(host, minorToken, plain.Email);

        var view = await host.GetJsonAsync($"/api/guardian/consents/{consent}", plainToken);
        Assert.False(view["you"]!["secondFactor"]!.GetValue<bool>());
        Assert.Equal((403, "guardian_second_factor_required"),
            await host.RefusalAsync(HttpMethod.Post, $"/api/guardian/consents/{consent}", new { decision = "approve" }, plainToken));

        var (_, olderMinorTokens) = await MinorAsync(host, age: 17);
        Assert.Equal((403, "guardian_not_adult"),
            await host.RefusalAsync(HttpMethod.Post, $"/api/guardian/consents/{consent}", new { decision = "approve" }, S(olderMinorTokens["token"])));

        // Neither refusal spent the link: the guardian enrols TOTP and decides with it.
        var guardianToken = await EnrolTotpAsync(host, plain, plainToken);
        Assert.Equal("approved", S((await host.PostJsonAsync($"/api/guardian/consents/{consent}", new { decision = "approve" }, guardianToken))["state"]));
    }

    [Fact]
    public async Task Decline_KeepsTheMinorFromSending_AndTheyMayAskSomeoneElse()
    {
        var (_, minorTokens) = await MinorAsync(host);
        var minorToken = S(minorTokens["token"]);
        var (guardian, guardianToken) = await GuardianWithTotpAsync(host);
        var consent = await AskAsync(host, minorToken, guardian.Email);
        Assert.Equal("declined", S((await host.PostJsonAsync($"/api/guardian/consents/{consent}", new { decision = "decline" }, guardianToken))["state"]));

        var refreshed = await RefreshAsync(host, minorTokens);
        Assert.Equal((403, "guardian_consent_required"), await PostToLobbyAsync(host, refreshed));
        Assert.Equal("declined", S((await host.GetJsonAsync("/api/account/guardian", refreshed))["state"]));
        Assert.Empty(await host.GetArrayAsync("/api/guardian/minors", guardianToken));

        var other = TestAccount.New("aunt");
        await AskAsync(host, refreshed, other.Email);
        Assert.Equal("pending", S((await host.GetJsonAsync("/api/account/guardian", refreshed))["state"]));
    }

    [Fact]
    public async Task GuardianRequests_RefuseOwnAddress_AdultsAndFloods()
    {
        var (minor, minorTokens) = await MinorAsync(host);
        var minorToken = S(minorTokens["token"]);
        Assert.Equal((400, "guardian_email_own"), await host.RefusalAsync(HttpMethod.Post, "/api/account/guardian", new { email = minor.Email.ToUpperInvariant() }, minorToken));
        Assert.Equal((400, "invalid_email"), await host.RefusalAsync(HttpMethod.Post, "/api/account/guardian", new { email = "a@b.c\r\nBcc: x@y.z" }, minorToken));

        // A mail server refusing the email leaves nothing behind: no link, no request counted against the day's limit.
        using (var refused = await host.PostAsync("/api/account/guardian", new { email = $"parent-{Guid.NewGuid():N}@{SmtpCapture.RefusedDomain}" }, minorToken))
        {
            Assert.False(refused.IsSuccessStatusCode);
        }

        Assert.Null((await host.GetJsonAsync("/api/account/guardian", minorToken))["guardianEmail"]);

        var guardian = TestAccount.New("parent");
        for (var i = 0; i < 3; i++)
        {
            await AskAsync(host, minorToken, guardian.Email);
        }

        using var flood = await host.PostAsync("/api/account/guardian", new { email = guardian.Email }, minorToken);
        Assert.Equal((429, "rate_limited"), await AccountsHost.ProblemAsync(flood));
        Assert.NotNull(flood.Headers.RetryAfter);
        Assert.Equal(3, host.Smtp.To(guardian.Email).Count);

        // A 16-year-old (the default consent age) and an adult need nobody.
        var (_, sixteen) = await MinorAsync(host, age: 16);
        Assert.False((await host.GetJsonAsync("/api/account/guardian", S(sixteen["token"])))["required"]!.GetValue<bool>());
        Assert.Equal((201, null), await PostToLobbyAsync(host, S(sixteen["token"])));
        Assert.Equal((409, "guardian_not_needed"),
            await host.RefusalAsync(HttpMethod.Post, "/api/account/guardian", new { email = guardian.Email }, S(sixteen["token"])));
    }

    [Fact]
    public async Task BirthDate_IsLockedForMinors_AndOnlyAnAdminCorrectsIt_Audited()
    {
        var (minor, minorTokens) = await MinorAsync(host);
        var minorToken = S(minorTokens["token"]);
        Assert.Equal((403, "birth_date_locked"), await host.RefusalAsync(HttpMethod.Patch, "/api/account", new { dateOfBirth = "1990-01-01" }, minorToken));

        var adult = TestAccount.New();
        var adultToken = S((await adult.RegisterConfirmAndSignInAsync(host))["token"]);
        Assert.Equal((403, "birth_date_locked"),
            await host.RefusalAsync(HttpMethod.Patch, "/api/account", new { dateOfBirth = TestAccount.Aged(12).DateOfBirth }, adultToken));
        using (var fine = await host.SendAsync(HttpMethod.Patch, "/api/account", new { dateOfBirth = "1991-02-03" }, adultToken))
        {
            Assert.True(fine.IsSuccessStatusCode);
        }

        var consent = await AskAsync(host, minorToken, adult.Email);
        var admin = await host.AdminTokenAsync();
        var id = S((await host.GetJsonAsync("/api/account", minorToken))["id"]);
        Assert.Equal((403, "forbidden"),
            await host.RefusalAsync(HttpMethod.Put, $"/api/admin/users/{id}/birth-date", new { dateOfBirth = "1990-01-01" }, adultToken));
        using (var corrected = await host.SendAsync(HttpMethod.Put, $"/api/admin/users/{id}/birth-date",
            new { dateOfBirth = "1990-01-01", reason = "typo at sign-up, checked with the family" }, admin))
        {
            Assert.True(corrected.IsSuccessStatusCode);
        }

        // Released from waiting: the correction signed the account out, and its next sign-in may send.
        Assert.Equal((401, "unauthorized"), await host.RefusalAsync(HttpMethod.Get, "/api/account", token: minorToken));
        Assert.Equal((409, "guardian_not_needed"),
            await host.RefusalAsync(HttpMethod.Post, $"/api/guardian/consents/{consent}", new { decision = "decline" }, adultToken));
        var again = S((await host.PostJsonAsync("/api/auth/login", new { login = minor.UserName, password = minor.Password }))["token"]);
        Assert.Equal((201, null), await PostToLobbyAsync(host, again));
        var audit = await host.GetArrayAsync("/api/admin/audit?limit=200", admin);
        Assert.Contains(audit, e => S(e!["action"]) == "set_birth_date" && S(e["targetUserId"]) == id && S(e["reason"]) == "typo at sign-up, checked with the family");
    }

    [Fact]
    public async Task Guardian_SetsRestrictions_SeesSafetyEvents_AndRevokes_ClosingTheMinorsSockets()
    {
        var (minor, minorTokens) = await MinorAsync(host);
        var minorToken = S(minorTokens["token"]);
        var (_, guardianToken) = await GuardianWithTotpAsync(host);
        var consent = await AskAsync(host, minorToken, (await host.GetJsonAsync("/api/account", guardianToken))["email"]!.GetValue<string>());
        var id = S((await host.PostJsonAsync($"/api/guardian/consents/{consent}", new { decision = "approve" }, guardianToken))["minorUserId"]);

        using (var restricted = await host.SendAsync(HttpMethod.Put, $"/api/guardian/minors/{id}/restrictions", new { directMessages = "off" }, guardianToken))
        {
            Assert.True(restricted.IsSuccessStatusCode);
        }

        Assert.Equal("off", S(Assert.Single(await host.GetArrayAsync("/api/guardian/minors", guardianToken))!["directMessages"]));
        Assert.Equal(DirectMessagePolicies.Off,
            (await host.Services.GetRequiredService<IParticipantStore>().GetAsync(id, CancellationToken.None))!.DirectMessages);
        Assert.Equal((400, "invalid_request"),
            await host.RefusalAsync(HttpMethod.Put, $"/api/guardian/minors/{id}/restrictions", new { directMessages = "strangers" }, guardianToken));

        // Someone else's minor is nobody's business.
        var (_, strangerToken) = await GuardianWithTotpAsync(host);
        Assert.Equal((404, "not_found"), await host.RefusalAsync(HttpMethod.Put, $"/api/guardian/minors/{id}/restrictions", new { directMessages = "everyone" }, strangerToken));
        Assert.Equal((404, "not_found"), await host.RefusalAsync(HttpMethod.Get, $"/api/guardian/minors/{id}/events", token: strangerToken));
        Assert.Equal((404, "not_found"), await host.RefusalAsync(HttpMethod.Post, $"/api/guardian/minors/{id}/revoke", token: strangerToken));

        // A moderator decision about the minor shows up for the guardian, without any message text.
        var admin = await host.AdminTokenAsync();
        await host.PostJsonAsync($"/api/admin/users/{id}/ban", new { until = DateTimeOffset.UtcNow.AddMinutes(5), reason = "cooling off" }, admin);
        var events = (await host.GetJsonAsync($"/api/guardian/minors/{id}/events", guardianToken))["events"]!.AsArray();
        Assert.Contains(events, e => S(e!["action"]) == "ban_account" && S(e["kind"]) == "decision" && S(e["summary"]) == "cooling off");

        // So does a guardian case on a conversation with the minor, and its outcome, but not its evidence or reasons.
        var cases = host.Services.GetRequiredService<IGuardianCaseStore>();
        var (opened, _) = await cases.OpenAsync(new GuardianCase(0, GuardianCaseKinds.Conversation, "dm-case", "adult-1", [id], 0.93,
            [new GuardianCaseSignal("secrecy", 0.9, ["don't tell your parents"])], ["don't tell your parents"], null, "w-1",
            GuardianCaseStates.Open, DateTimeOffset.UtcNow), CancellationToken.None);
        await cases.ResolveAsync(opened.Id, GuardianCaseStates.Restricted, "moderator", "asked for secrecy twice", DateTimeOffset.UtcNow, CancellationToken.None);
        var withCase = (await host.GetJsonAsync($"/api/guardian/minors/{id}/events", guardianToken))["events"]!.AsArray();
        Assert.Contains(withCase, e => S(e!["action"]) == "guardian_case_opened" && S(e["kind"]) == "alert" && S(e["room"]) == "dm-case");
        Assert.Contains(withCase, e => S(e!["action"]) == "guardian_case_restricted" && S(e["kind"]) == "decision");
        Assert.DoesNotContain("parents", withCase.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secrecy", withCase.ToJsonString(), StringComparison.Ordinal);

        var closed = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (await host.Services.GetRequiredService<IChatBus>().SubscribeAsync(null, e =>
        {
            if (e.Type == ChatEventTypes.AccountClosed && JsonNode.Parse(e.Data.GetRawText()) is JsonObject payload && S(payload["userId"]) == id)
            {
                closed.TrySetResult(payload);
            }

            return ValueTask.CompletedTask;
        }, CancellationToken.None))
        {
            var revoked = await host.PostJsonAsync($"/api/guardian/minors/{id}/revoke", token: guardianToken);
            Assert.Equal("revoked", S(revoked["state"]));
            Assert.True(revoked["disabled"]!.GetValue<bool>());
            var payload = await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("account_disabled", S(payload["code"]));
        }

        Assert.Equal((403, "account_disabled"), await host.RefusalAsync(HttpMethod.Post, "/api/auth/login", new { login = minor.UserName, password = minor.Password }));
        var audit = await host.GetArrayAsync("/api/admin/audit?limit=200", admin);
        Assert.Contains(audit, e => S(e!["action"]) == "guardian_restrict" && S(e["targetUserId"]) == id);
        Assert.Contains(audit, e => S(e!["action"]) == "guardian_revoke" && S(e["targetUserId"]) == id);
        Assert.Equal(GuardianStates.Revoked, (await host.Services.GetRequiredService<IParticipantStore>().GetAsync(id, CancellationToken.None))!.GuardianState);
    }

    [Fact]
    public async Task Registration_ProjectsEveryAccountIntoTheChatBackend()
    {
        var (_, minorTokens) = await MinorAsync(host);
        var adult = TestAccount.New();
        var adultTokens = await adult.RegisterConfirmAndSignInAsync(host);
        var participants = host.Services.GetRequiredService<IParticipantStore>();

        var minor = await participants.GetAsync(S(minorTokens["user"]!["id"]), CancellationToken.None);
        Assert.Equal(GuardianStates.Pending, minor!.GuardianState);
        Assert.Equal(DirectMessagePolicies.Contacts, minor.DirectMessages);
        var grown = await participants.GetAsync(S(adultTokens["user"]!["id"]), CancellationToken.None);
        Assert.Equal(GuardianStates.None, grown!.GuardianState);
        Assert.False(grown.IsMinorOn(DateOnly.FromDateTime(DateTime.UtcNow)));
    }
}

public sealed class SqliteGuardianConsentTests(SqliteAccountsFixture fixture) : GuardianConsentTests(fixture.Host), IClassFixture<SqliteAccountsFixture>;

public sealed class PostgresGuardianConsentTests(PostgresAccountsFixture fixture) : GuardianConsentTests(fixture.Host), IClassFixture<PostgresAccountsFixture>;
