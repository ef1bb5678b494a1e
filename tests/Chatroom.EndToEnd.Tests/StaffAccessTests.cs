using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;

namespace Chatroom.EndToEnd.Tests;

/// <summary>
/// Who may do what in the review queues: moderators work the flag queue and the guardian queue as admins do, every read of
/// a private room's text there is audited, and only admins change the guardian agent's settings (the monitor applying
/// them: GuardianMonitorTests).
/// </summary>
public sealed class StaffAccessTests : IAsyncLifetime
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
    public async Task AModeratorListsAndResolvesAReportFromADirectConversation_AndTheReadIsAuditedWithRoomAndMessage()
    {
        var (ana, bo) = (await PersonAsync("ana"), await PersonAsync("bo"));
        var moderator = await ModeratorAsync();
        await using var anaHub = await _host.Api.ConnectWithTokenAsync(ana.Token);
        var room = await anaHub.InvokeAsync<string>("OpenDirect", bo.Id);
        await anaHub.InvokeAsync("JoinRoom", room, null);
        var id = (await anaHub.InvokeAsync("SendMessage", room, "buy my course, link in bio", "a-1")).GetProperty("id").GetInt64();
        using (var report = await _host.Api.SendAsync(HttpMethod.Post, "/api/reports", bo.Token, new { room, messageId = id, reason = "spam" }))
        {
            Assert.Equal(201, (int)report.StatusCode);
        }

        var flag = Assert.Single(await _host.Api.GetJsonArrayAsync("/api/admin/flags", moderator.Token), f => f!["room"]!.GetValue<string>() == room)!;
        Assert.Equal("buy my course, link in bio", flag["text"]!.GetValue<string>());

        var audit = await _host.Api.GetJsonArrayAsync("/api/admin/audit", _admin);
        var read = Assert.Single(audit, e => e!["action"]!.GetValue<string>() == "private_excerpt_read")!;
        Assert.Equal((moderator.UserName, room, id, $"messages {id}"),
            (read["actor"]!.GetValue<string>(), read["room"]!.GetValue<string>(), read["messageId"]!.GetValue<long>(), read["detail"]!.GetValue<string>()));

        using (var resolved = await _host.Api.SendAsync(HttpMethod.Post, $"/api/admin/flags/{flag["id"]}/resolve", moderator.Token,
            new { action = "hide", reason = "advertising in private" }))
        {
            Assert.Equal(200, (int)resolved.StatusCode);
            Assert.Equal("hidden", (await resolved.Content.ReadFromJsonAsync<JsonObject>())!["state"]!.GetValue<string>());
        }

        // The admin console's door lets a moderator in (the console then shows them the review queues only).
        using (var console = await _host.Api.SendAsync(HttpMethod.Post, "/api/auth/admin", null, new { password = Password, userName = moderator.UserName }))
        {
            Assert.Equal("moderator", (await console.Content.ReadFromJsonAsync<JsonObject>())!["user"]!["role"]!.GetValue<string>());
        }

        // The guardian queue is the moderator's too; the admin-only pages stay closed to them.
        using (var cases = await _host.Api.SendAsync(HttpMethod.Get, "/api/admin/guardian/cases", moderator.Token))
        {
            Assert.Equal(200, (int)cases.StatusCode);
        }

        using (var auditRead = await _host.Api.SendAsync(HttpMethod.Get, "/api/admin/audit", moderator.Token))
        {
            Assert.Equal((403, "forbidden"), await ChatApiClient.ProblemAsync(auditRead));
        }
    }

    [Fact]
    public async Task APublicRoomsFlagsAreNotLoggedAsPrivateReads_AndPeopleWhoAreNotStaffAreRefusedTheQueues()
    {
        var (person, reporter) = (await PersonAsync("cy"), await PersonAsync("dee"));
        await _host.Api.CreateRoomAsync(_admin, "town-square");
        await using var reporterHub = await _host.Api.ConnectWithTokenAsync(reporter.Token);
        await reporterHub.InvokeAsync("JoinRoom", "town-square", null);
        await using var hub = await _host.Api.ConnectWithTokenAsync(person.Token);
        await hub.InvokeAsync("JoinRoom", "town-square", null);
        var id = (await hub.InvokeAsync("SendMessage", "town-square", "hello all", "c-1")).GetProperty("id").GetInt64();
        using (var report = await _host.Api.SendAsync(HttpMethod.Post, "/api/reports", reporter.Token, new { room = "town-square", messageId = id, reason = "rude" }))
        {
            Assert.Equal(201, (int)report.StatusCode);
        }

        using (var console = await _host.Api.SendAsync(HttpMethod.Post, "/api/auth/admin", null, new { password = Password, userName = person.UserName }))
        {
            Assert.Equal((403, "forbidden"), await ChatApiClient.ProblemAsync(console));
        }

        Assert.Single(await _host.Api.GetJsonArrayAsync("/api/admin/flags", _admin));
        Assert.DoesNotContain(await _host.Api.GetJsonArrayAsync("/api/admin/audit", _admin), e => e!["action"]!.GetValue<string>() == "private_excerpt_read");

        foreach (var (method, path) in new[] { (HttpMethod.Get, "/api/admin/flags"), (HttpMethod.Post, "/api/admin/flags/1/resolve"), (HttpMethod.Get, "/api/admin/guardian/cases") })
        {
            using var refused = await _host.Api.SendAsync(method, path, person.Token, new { action = "hide", reason = "x" });
            Assert.Equal((403, "forbidden"), await ChatApiClient.ProblemAsync(refused));
        }

        Assert.Equal("open", Assert.Single(await _host.Api.GetJsonArrayAsync("/api/admin/flags", _admin))!["state"]!.GetValue<string>());
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

        var moderator = await ModeratorAsync();
        foreach (var token in new[] { moderator.Token, (await PersonAsync("dee")).Token })
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

    private async Task<(string Id, string UserName, string Token)> PersonAsync(string name)
    {
        var userName = name + "_" + Guid.NewGuid().ToString("N")[..6];
        var (id, token) = await _host.Api.RegisterAccountAsync(userName, Password);
        return (id, userName, token);
    }

    private async Task<(string Id, string UserName, string Token)> ModeratorAsync()
    {
        var userName = "mod_" + Guid.NewGuid().ToString("N")[..6];
        var (id, token) = await _host.Api.RegisterModeratorAsync(_admin, userName, Password);
        return (id, userName, token);
    }
}
