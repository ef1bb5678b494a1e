using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;

namespace Chatroom.EndToEnd.Tests;

/// <summary>The guardian agent's settings an admin keeps through the API (the monitor applying them: GuardianMonitorTests).</summary>
public sealed class GuardianSettingsApiTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";

    private readonly TempDirectory _data = new();
    private StandaloneHost _host = null!;
    private string _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["Chatroom:Accounts:RequireConfirmedEmail"] = "false",
            ["Chatroom:Auth:StaffRequireTwoFactor"] = "false",
        });
        _admin = await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task AnAdminChangesTheGuardianSettings_WithinTheirRanges_AuditedAndOnlyAsAdmin()
    {
        var defaults = await _host.Api.GetJsonAsync("/api/admin/guardian/settings", _admin);
        Assert.Equal((false, 30, 2880, 5, 1440), (defaults["stored"]!.GetValue<bool>(), defaults["windowMessages"]!.GetValue<int>(),
            defaults["windowAgeMinutes"]!.GetValue<int>(), defaults["maxNewMinorContacts"]!.GetValue<int>(), defaults["contactPeriodMinutes"]!.GetValue<int>()));
        Assert.Null(defaults["threshold"]);

        var wanted = new { threshold = 0.85, windowMessages = 40, windowAgeMinutes = 720, maxNewMinorContacts = 3, contactPeriodMinutes = 360 };
        foreach (var bad in new object[]
        {
            wanted with { threshold = 1.5 }, wanted with { windowMessages = 2 }, wanted with { windowAgeMinutes = 5 },
            wanted with { maxNewMinorContacts = 1 }, wanted with { contactPeriodMinutes = 60 * 24 * 31 },
        })
        {
            using var refused = await _host.Api.SendAsync(HttpMethod.Put, "/api/admin/guardian/settings", _admin, bad);
            Assert.Equal((400, "invalid_guardian_settings"), await ChatApiClient.ProblemAsync(refused));
        }

        Assert.False((await _host.Api.GetJsonAsync("/api/admin/guardian/settings", _admin))["stored"]!.GetValue<bool>());

        var moderator = await _host.Api.RegisterModeratorAsync(_admin, "mod_" + Guid.NewGuid().ToString("N")[..6], Password);
        foreach (var token in new[] { moderator.Token, (await _host.Api.RegisterAccountAsync("dee_" + Guid.NewGuid().ToString("N")[..6], Password)).Token })
        {
            using var get = await _host.Api.SendAsync(HttpMethod.Get, "/api/admin/guardian/settings", token);
            Assert.Equal((403, "forbidden"), await ChatApiClient.ProblemAsync(get));
            using var put = await _host.Api.SendAsync(HttpMethod.Put, "/api/admin/guardian/settings", token, wanted);
            Assert.Equal((403, "forbidden"), await ChatApiClient.ProblemAsync(put));
        }

        using (var saved = await _host.Api.SendAsync(HttpMethod.Put, "/api/admin/guardian/settings", _admin, wanted))
        {
            Assert.Equal(200, (int)saved.StatusCode);
        }

        var stored = await _host.Api.GetJsonAsync("/api/admin/guardian/settings", _admin);
        Assert.Equal((true, 0.85, 40, 720, 3, 360, "admin"), (stored["stored"]!.GetValue<bool>(), stored["threshold"]!.GetValue<double>(),
            stored["windowMessages"]!.GetValue<int>(), stored["windowAgeMinutes"]!.GetValue<int>(), stored["maxNewMinorContacts"]!.GetValue<int>(),
            stored["contactPeriodMinutes"]!.GetValue<int>(), stored["updatedBy"]!.GetValue<string>()));
        var entry = Assert.Single(await _host.Api.GetJsonArrayAsync("/api/admin/audit", _admin), e => e!["action"]!.GetValue<string>() == "guardian_settings")!;
        Assert.Equal("threshold 0.85, window 40 messages / 720 min, new minor contacts 3 / 360 min", entry["detail"]!.GetValue<string>());

        using (var reset = await _host.Api.SendAsync(HttpMethod.Delete, "/api/admin/guardian/settings", _admin))
        {
            Assert.False((await reset.Content.ReadFromJsonAsync<JsonObject>())!["stored"]!.GetValue<bool>());
        }

        Assert.False((await _host.Api.GetJsonAsync("/api/admin/guardian/settings", _admin))["stored"]!.GetValue<bool>());
    }
}
