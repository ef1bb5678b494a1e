using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;

namespace Chatroom.EndToEnd.Tests;

/// <summary>A room's written rules: set by staff (audited), read by anyone who may read the room, next to the server's.</summary>
public sealed class WrittenRulesTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private StandaloneHost _host = null!;
    private string _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["Chatroom:Moderation:Policy:Rules"] = "# Server rules\nNo abuse aimed at a person.",
        });
        _admin = await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
        await _host.Api.CreateRoomAsync(_admin, "chess");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task AnAdminSetsARoomsRules_AndEveryReaderSeesThemWithTheServersRules()
    {
        var guest = await _host.Api.GuestTokenAsync("ana");
        var before = await _host.Api.GetJsonAsync("/api/rooms/chess/rules", guest);
        Assert.Null(before["rules"]);
        Assert.Equal("# Server rules\nNo abuse aimed at a person.", before["serverRules"]!.GetValue<string>());

        using (var set = await _host.Api.SendAsync(HttpMethod.Put, "/api/admin/rooms/chess/rules", _admin, new { text = "  Only **chess** talk.\n- No engine moves during games.  " }))
        {
            Assert.Equal(200, (int)set.StatusCode);
        }

        var after = await _host.Api.GetJsonAsync("/api/rooms/chess/rules", guest);
        Assert.Equal("Only **chess** talk.\n- No engine moves during games.", after["rules"]!.GetValue<string>());
        Assert.NotNull(after["updatedAt"]);
        Assert.Null((await _host.Api.GetJsonAsync("/api/rooms/lobby/rules", guest))["rules"]);

        var audit = await _host.Api.GetJsonArrayAsync("/api/admin/audit", _admin);
        Assert.Contains(audit, e => e!["action"]!.GetValue<string>() == "set_rules" && e["room"]!.GetValue<string>() == "chess");

        using (var cleared = await _host.Api.SendAsync(HttpMethod.Put, "/api/admin/rooms/chess/rules", _admin, new { text = "" }))
        {
            Assert.Equal(200, (int)cleared.StatusCode);
        }

        Assert.Null((await _host.Api.GetJsonAsync("/api/rooms/chess/rules", guest))["rules"]);
    }

    [Fact]
    public async Task RulesLongerThan4000CharactersAreRefused_AndTheOldOnesStay()
    {
        using (var set = await _host.Api.SendAsync(HttpMethod.Put, "/api/admin/rooms/chess/rules", _admin, new { text = "No spoilers." }))
        {
            set.EnsureSuccessStatusCode();
        }

        using var tooLong = await _host.Api.SendAsync(HttpMethod.Put, "/api/admin/rooms/chess/rules", _admin, new { text = new string('x', 4001) });
        Assert.Equal((400, "rules_too_long"), await ChatApiClient.ProblemAsync(tooLong));
        Assert.Equal("No spoilers.", (await _host.Api.GetJsonAsync("/api/rooms/chess/rules", _admin))["rules"]!.GetValue<string>());

        using var longest = await _host.Api.SendAsync(HttpMethod.Put, "/api/admin/rooms/chess/rules", _admin, new { text = new string('x', 4000) });
        Assert.Equal(200, (int)longest.StatusCode);
    }

    [Fact]
    public async Task OnlyStaffSetRules_AndUnknownRoomsHaveNone()
    {
        var guest = await _host.Api.GuestTokenAsync("bo");
        using var byGuest = await _host.Api.SendAsync(HttpMethod.Put, "/api/admin/rooms/chess/rules", guest, new { text = "I make the rules now." });
        Assert.Equal(403, (int)byGuest.StatusCode);
        using var anonymous = await _host.Api.SendAsync(HttpMethod.Get, "/api/rooms/chess/rules", null);
        Assert.Equal(401, (int)anonymous.StatusCode);

        using var unknownRead = await _host.Api.SendAsync(HttpMethod.Get, "/api/rooms/nowhere/rules", guest);
        Assert.Equal((404, "unknown_room"), await ChatApiClient.ProblemAsync(unknownRead));
        using var unknownWrite = await _host.Api.SendAsync(HttpMethod.Put, "/api/admin/rooms/nowhere/rules", _admin, new { text = "x" });
        Assert.Equal((404, "unknown_room"), await ChatApiClient.ProblemAsync(unknownWrite));
    }

    [Fact]
    public async Task DeletingARoomDeletesItsRules()
    {
        await _host.Api.CreateRoomAsync(_admin, "gone");
        using (var set = await _host.Api.SendAsync(HttpMethod.Put, "/api/admin/rooms/gone/rules", _admin, new { text = "Temporary rules." }))
        {
            set.EnsureSuccessStatusCode();
        }

        using (var deleted = await _host.Api.SendAsync(HttpMethod.Delete, "/api/admin/rooms/gone", _admin))
        {
            Assert.Equal(204, (int)deleted.StatusCode);
        }

        await _host.Api.CreateRoomAsync(_admin, "gone");
        Assert.Null((await _host.Api.GetJsonAsync("/api/rooms/gone/rules", _admin))["rules"]);
    }
}
