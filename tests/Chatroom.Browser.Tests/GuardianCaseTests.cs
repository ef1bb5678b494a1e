using Chatroom.Core.GuardianCases;
using Chatroom.Core.Moderation;
using Chatroom.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Chatroom.Browser.Tests;

/// <summary>The guardian queue in the admin console: a case the guardian agent opened is read (audited) and acted on.</summary>
[Collection(BrowserCollection.Name)]
public sealed class GuardianCaseTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Secrecy = "adult-7: don't tell your parents we talk, it's our secret";
    private readonly TempDirectory _data = new("chatroom-browser");
    private StandaloneHost _host = null!;
    private long _caseId;

    public async Task InitializeAsync()
    {
        _host = await StandaloneHost.StartAsync(_data.Path);
        // The case as the guardian agent's monitor opens it (the agent itself is covered by GuardianMonitorTests).
        var (opened, _) = await _host.Services.GetRequiredService<IGuardianCaseStore>().OpenAsync(new GuardianCase(
            0, GuardianCaseKinds.Conversation, "dm-adult-7-kid-3", "adult-7", ["kid-3"], 0.94,
            [new GuardianCaseSignal("secrecy", 0.88, ["don't tell your parents we talk, it's our secret"]), new GuardianCaseSignal("age_gap", 0.6, ["ages 38 and 12"])],
            [Secrecy, "adult-7: let's meet at the park on saturday, just us"],
            "Score 0.94 in a private conversation between a 38-year-old and a 12-year-old.", "dm-adult-7-kid-3:0",
            GuardianCaseStates.Open, DateTimeOffset.UtcNow.AddMinutes(-20)), CancellationToken.None);
        _caseId = opened.Id;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact(Timeout = Ui.TestTimeoutMs)]
    public async Task AModeratorOpensACase_SeesItsEvidence_AndRestrictsTheAdultWithAReason()
    {
        var admin = await browser.NewPageAsync();
        await admin.AdminSignInAsync(_host, "/admin/guardian");

        var row = admin.Locator($"[data-testid=guardian-case][data-case-id=\"{_caseId}\"]");
        await Expect(row).ToHaveAttributeAsync("data-state", "open");
        await Expect(row).Not.ToContainTextAsync("don't tell your parents");
        await row.GetByTestId("guardian-open").ClickAsync();

        await Expect(admin.TestId("guardian-summary")).ToContainTextAsync("a 38-year-old and a 12-year-old");
        await Expect(admin.TestId("guardian-evidence")).ToContainTextAsync(Secrecy);
        await Expect(admin.Locator("[data-testid=guardian-signals] [data-signal=secrecy]")).ToContainTextAsync("88%");

        await admin.TestId("guardian-restrict").ClickAsync();
        await Expect(admin.TestId("guardian-error")).ToContainTextAsync("Write a reason first");
        await admin.TestId("guardian-reason").FillAsync("asked a 12-year-old for secrecy and a meeting");
        await admin.TestId("guardian-restrict").ClickAsync();
        await Expect(admin.TestId("guardian-resolution")).ToContainTextAsync("Contact restricted");
        await Expect(admin.TestId("guardian-resolution")).ToContainTextAsync("asked a 12-year-old for secrecy and a meeting");

        await admin.TestId("guardian-subject").ClickAsync();
        await Expect(admin.TestId("guardian-restricted")).ToContainTextAsync("asked a 12-year-old for secrecy and a meeting");
        await Expect(admin.TestId("guardian-account-cases")).ToContainTextAsync($"Case {_caseId}: Contact restricted");

        Assert.NotNull(await _host.Services.GetRequiredService<IContactRestrictionStore>().GetAsync("adult-7", CancellationToken.None));
        var audit = await _host.Services.GetRequiredService<IModerationStore>().ListAuditAsync(null, 50, CancellationToken.None);
        Assert.Contains(audit, e => e.Action == "guardian_case_read" && e.TargetUserId == "adult-7");
        Assert.Contains(audit, e => e.Action == "guardian_restrict" && e.Reason == "asked a 12-year-old for secrecy and a meeting");
    }
}
