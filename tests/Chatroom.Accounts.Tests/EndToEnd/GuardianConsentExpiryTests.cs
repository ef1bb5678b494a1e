using static Chatroom.Accounts.Tests.EndToEnd.GuardianSteps;

namespace Chatroom.Accounts.Tests.EndToEnd;

/// <summary>A consent link after its lifetime, on a host whose clock the test moves.</summary>
public sealed class GuardianConsentExpiryTests
{
    [Fact]
    public async Task ConsentLink_AfterItsLifetime_IsRefusedAsExpired()
    {
        var time = new ShiftableTime();
        await using var host = await AccountsHost.StartAsync(null, time: time);
        var (_, minorTokens) = await MinorAsync(host);
        var (guardian, guardianToken) = await GuardianWithTotpAsync(host);
        var consent = await AskAsync(host, S(minorTokens["token"]), guardian.Email);

        // Tokens keep working on the real clock that validates them; the accounts see a week and a minute later.
        time.Offset = TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1);
        Assert.Equal((410, "consent_expired"), await host.RefusalAsync(HttpMethod.Get, $"/api/guardian/consents/{consent}", token: guardianToken));
        Assert.Equal((410, "consent_expired"),
            await host.RefusalAsync(HttpMethod.Post, $"/api/guardian/consents/{consent}", new { decision = "approve" }, guardianToken));
    }

    [Fact]
    public async Task ConsentAge_OutsideThirteenToEighteen_FailsAtStart()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var host = await AccountsHost.StartAsync(null, new Dictionary<string, string?> { ["Chatroom:Safety:GuardianConsentAge"] = "12" });
        });
        Assert.Contains("GuardianConsentAge", error.Message, StringComparison.Ordinal);
    }
}
