using System.Text.Json.Nodes;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;
using Chatroom.Testing.SignalR;

namespace Chatroom.EndToEnd.Tests;

/// <summary>The moderation cascade behind the chat: verdicts, actions by policy, the review queue and admin views.</summary>
public sealed class ModerationTests : IAsyncLifetime
{
    private const string Abuse = "you are a worthless idiot, go kill yourself";
    private readonly TempDirectory _data = new();
    private StandaloneHost _host = null!;
    private string _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["Chatroom:Analysis:Rooms:strict:Action"] = "Hide",
            // Few enough that one test can turn a room's last 15 minutes bad.
            ["Chatroom:Trends:MinMessages"] = "5",
        });
        _admin = await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
        await _host.Api.CreateRoomAsync(_admin, "strict");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task AnUnsafeMessageIsHiddenForEveryClientAndShowsUpInTheAdminAnalysis()
    {
        await using var alice = await _host.Api.ConnectAsync("alice");
        var bobToken = await _host.Api.GuestTokenAsync("bob");
        await using var bob = await _host.Api.ConnectWithTokenAsync(bobToken);
        await using var admin = await _host.Api.ConnectWithTokenAsync(_admin);
        await alice.InvokeAsync("JoinRoom", "strict", null);
        await bob.InvokeAsync("JoinRoom", "strict", null);

        await alice.InvokeAsync("SendMessage", "strict", "what a lovely day, thanks everyone!", "ok-1");
        var id = (await alice.InvokeAsync("SendMessage", "strict", Abuse, "bad-1")).GetProperty("id").GetInt64();

        foreach (var client in new[] { alice, bob })
        {
            var hidden = await client.WaitForEventAsync("messageHidden", e => e.GetProperty("id").GetInt64() == id);
            Assert.Equal("strict", hidden.GetProperty("room").GetString());
        }

        var verdict = await admin.WaitForEventAsync("analysis", e => e.GetProperty("messageId").GetInt64() == id);
        Assert.Equal("unsafe", verdict.GetProperty("verdict").GetProperty("safety").GetString());
        Assert.Equal("hide", verdict.GetProperty("action").GetString());

        var page = await _host.Api.GetJsonAsync("/api/rooms/strict/messages", bobToken);
        var stored = page["messages"]!.AsArray().Single(m => m!["id"]!.GetValue<long>() == id)!;
        Assert.True(stored["hidden"]!.GetValue<bool>());
        Assert.Equal(string.Empty, stored["text"]!.GetValue<string>());

        var analysis = await _host.Api.GetJsonAsync("/api/admin/rooms/strict/analysis", _admin);
        var allTime = analysis["aggregates"]!["allTime"]!;
        Assert.Equal(2, allTime["total"]!.GetValue<long>());
        Assert.Equal(1, allTime["unsafe"]!.GetValue<long>());
        Assert.Equal(1, allTime["happy"]!.GetValue<long>());
        var flag = Assert.Single(analysis["flagged"]!.AsArray())!;
        Assert.Equal(id, flag["messageId"]!.GetValue<long>());
        Assert.Equal(Abuse, flag["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task ByDefaultAnUnsafeMessageIsFlaggedAndAnAdminCanMuteItsAuthor()
    {
        await using var mallory = await _host.Api.ConnectAsync("mallory");
        await mallory.InvokeAsync("JoinRoom", "lobby", null);
        var id = (await mallory.InvokeAsync("SendMessage", "lobby", Abuse, "m-1")).GetProperty("id").GetInt64();

        var flag = await WaitForFlagAsync("lobby", id);
        Assert.Equal("open", flag["state"]!.GetValue<string>());
        Assert.Empty(mallory.EventsOf("messageHidden"));

        using var resolved = await _host.Api.SendAsync(HttpMethod.Post, $"/api/admin/flags/{flag["id"]}/resolve", _admin,
            new { action = "mute", reason = "abuse", muteSeconds = 300 });
        resolved.EnsureSuccessStatusCode();

        await mallory.WaitForEventAsync("messageHidden", e => e.GetProperty("id").GetInt64() == id);
        var refusal = await Assert.ThrowsAsync<HubInvocationException>(() => mallory.InvokeAsync("SendMessage", "lobby", "let me talk", "m-2"));
        Assert.Equal("muted", refusal.Code);

        var audit = await _host.Api.Http.SendAsync(Get("/api/admin/audit"));
        var entries = JsonNode.Parse(await audit.Content.ReadAsStringAsync())!.AsArray();
        Assert.Contains(entries, e => e!["action"]!.GetValue<string>() == "mute" && e["reason"]!.GetValue<string>() == "abuse");
        Assert.Contains(entries, e => e!["action"]!.GetValue<string>() == "flag" && e["actor"]!.GetValue<string>() == "moderation");

        using var again = await _host.Api.SendAsync(HttpMethod.Post, $"/api/admin/flags/{flag["id"]}/resolve", _admin, new { action = "approve", reason = "changed my mind" });
        Assert.Equal((400, "invalid_request"), await ChatApiClient.ProblemAsync(again));
    }

    [Fact]
    public async Task ARoomTurningUnsafeRaisesOneTrendAlertForAdmins()
    {
        await _host.Api.CreateRoomAsync(_admin, "heated");
        await using var mallory = await _host.Api.ConnectAsync("mallory");
        await mallory.InvokeAsync("JoinRoom", "heated", null);
        for (var i = 0; i < 6; i++)
        {
            await mallory.InvokeAsync("SendMessage", "heated", i % 2 == 0 ? Abuse : $"see you at practice {i}", $"h-{i}");
        }

        var alert = await WaitForAsync("an unsafe-share alert for heated", async () => (await AuditAsync()).FirstOrDefault(IsUnsafeAlert));
        Assert.Equal("moderation", alert["actor"]!.GetValue<string>());

        // Every verdict after the crossing checked the window again; the alert stays raised, not repeated.
        await WaitForAsync("all six verdicts", async () =>
        {
            var analysis = await _host.Api.GetJsonAsync("/api/admin/rooms/heated/analysis", _admin);
            return analysis["aggregates"]!["allTime"]!["total"]!.GetValue<long>() == 6 ? analysis : null;
        });
        Assert.Single(await AuditAsync(), IsUnsafeAlert);

        static bool IsUnsafeAlert(JsonNode? e) => e!["action"]!.GetValue<string>() == "alert" && e["room"]?.GetValue<string>() == "heated" &&
            e["reason"]!.GetValue<string>().StartsWith("unsafe_share_rising: ", StringComparison.Ordinal);
    }

    private async Task<JsonArray> AuditAsync()
    {
        using var response = await _host.Api.Http.SendAsync(Get("/api/admin/audit"));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }

    private static async Task<JsonNode> WaitForAsync(string what, Func<Task<JsonNode?>> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no {what} within 30 s");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task ApprovingAHiddenMessageShowsItAgain()
    {
        await using var alice = await _host.Api.ConnectAsync("alice");
        await alice.InvokeAsync("JoinRoom", "strict", null);
        var id = (await alice.InvokeAsync("SendMessage", "strict", Abuse, "a-1")).GetProperty("id").GetInt64();
        await alice.WaitForEventAsync("messageHidden", e => e.GetProperty("id").GetInt64() == id);
        var flag = await WaitForFlagAsync("strict", id);

        using var resolved = await _host.Api.SendAsync(HttpMethod.Post, $"/api/admin/flags/{flag["id"]}/resolve", _admin,
            new { action = "approve", reason = "quoting a film" });
        resolved.EnsureSuccessStatusCode();

        var restored = await alice.WaitForEventAsync("message", e => e.GetProperty("id").GetInt64() == id && !e.GetProperty("hidden").GetBoolean());
        Assert.Equal(Abuse, restored.GetProperty("text").GetString());
    }

    [Fact]
    public async Task ResolvedFlagsAreExportedAsLabelledTrainingRows_ForAdminsOnly_AndTheExportIsAudited()
    {
        await using var mallory = await _host.Api.ConnectAsync("mallory");
        await mallory.InvokeAsync("JoinRoom", "lobby", null);
        var ids = new List<long>();
        foreach (var n in new[] { 1, 2, 3 })
        {
            ids.Add((await mallory.InvokeAsync("SendMessage", "lobby", Abuse, $"x-{n}")).GetProperty("id").GetInt64());
        }

        var flags = new List<JsonNode>();
        foreach (var id in ids)
        {
            flags.Add(await WaitForFlagAsync("lobby", id));
        }

        foreach (var (flag, action) in new[] { (flags[0], "hide"), (flags[1], "approve") })
        {
            using var resolved = await _host.Api.SendAsync(HttpMethod.Post, $"/api/admin/flags/{flag["id"]}/resolve", _admin, new { action, reason = "review" });
            resolved.EnsureSuccessStatusCode();
        }

        // The trainer's format: label<TAB>text, the text normalised as the classifiers read it; the open flag is not a decision.
        using var tsv = await _host.Api.Http.SendAsync(Get("/api/analysis/moderation/decisions?format=tsv"));
        tsv.EnsureSuccessStatusCode();
        var lines = (await tsv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("label\ttext", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split('\t')).ToList();
        Assert.All(rows, r => Assert.StartsWith("you are a worthless idiot", r[1], StringComparison.Ordinal));
        Assert.Equal(1, rows.Count(r => r[0] == "offensive"));
        Assert.Equal(1, rows.Count(r => r[0] == "not-offensive"));
        Assert.Equal(1, rows.Count(r => r[0] == "not-hate"));

        using var jsonl = await _host.Api.Http.SendAsync(Get("/api/analysis/moderation/decisions?format=jsonl"));
        var decisions = (await jsonl.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(
            new[] { (flags[0]["id"]!.GetValue<long>(), "hidden", "unsafe"), (flags[1]["id"]!.GetValue<long>(), "approved", "safe") },
            decisions.Select(d => (d["flagId"]!.GetValue<long>(), d["decision"]!.GetValue<string>(), d["safety"]!.GetValue<string>())));

        using var later = await _host.Api.Http.SendAsync(Get($"/api/analysis/moderation/decisions?since={Uri.EscapeDataString($"{DateTimeOffset.UtcNow.AddHours(1):O}")}"));
        Assert.Equal("label\ttext", (await later.Content.ReadAsStringAsync()).Trim());

        var guest = await _host.Api.GuestTokenAsync("curious");
        using var refused = await _host.Api.SendAsync(HttpMethod.Get, "/api/analysis/moderation/decisions", guest);
        Assert.Equal(403, (int)refused.StatusCode);

        using var audit = await _host.Api.Http.SendAsync(Get("/api/admin/audit"));
        var entries = JsonNode.Parse(await audit.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(3, entries.Count(e => e!["action"]!.GetValue<string>() == "export_decisions"));
    }

    [Fact]
    public async Task ClassifyReturnsVerdictsInOrderForAdminsOnly()
    {
        using var many = await _host.Api.SendAsync(HttpMethod.Post, "/api/analysis/classify", _admin,
            new { texts = new[] { "I love this so much 😍", Abuse, "the meeting is at 3pm" } });
        many.EnsureSuccessStatusCode();
        var verdicts = JsonNode.Parse(await many.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(["happy", "sad", "neutral"], verdicts.Select(v => v!["mood"]!.GetValue<string>()));
        Assert.Equal(["safe", "unsafe", "safe"], verdicts.Select(v => v!["safety"]!.GetValue<string>()));
        Assert.All(verdicts, v => Assert.Equal("embedded", v!["tier"]!.GetValue<string>()));

        using var one = await _host.Api.SendAsync(HttpMethod.Post, "/api/analysis/classify", _admin, new { text = "thanks, that was helpful" });
        Assert.Equal("happy", JsonNode.Parse(await one.Content.ReadAsStringAsync())!["mood"]!.GetValue<string>());

        var guest = await _host.Api.GuestTokenAsync("guest");
        using var refused = await _host.Api.SendAsync(HttpMethod.Post, "/api/analysis/classify", guest, new { text = "hi" });
        Assert.Equal((403, "forbidden"), await ChatApiClient.ProblemAsync(refused));
        using var neither = await _host.Api.SendAsync(HttpMethod.Post, "/api/analysis/classify", _admin, new { });
        Assert.Equal((400, "invalid_request"), await ChatApiClient.ProblemAsync(neither));
        using var tooMany = await _host.Api.SendAsync(HttpMethod.Post, "/api/analysis/classify", _admin, new { texts = Enumerable.Repeat("x", 101) });
        Assert.Equal((400, "invalid_request"), await ChatApiClient.ProblemAsync(tooMany));
    }

    [Fact]
    public async Task TheLatestVerdictsReadBackNewestFirstAsTheLiveFeedShowsThem()
    {
        await using var admin = await _host.Api.ConnectWithTokenAsync(_admin);
        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "strict", null);
        var kind = (await ana.InvokeAsync("SendMessage", "strict", "what a lovely day, thanks everyone!", "v-1")).GetProperty("id").GetInt64();
        await admin.WaitForEventAsync("analysis", e => e.GetProperty("messageId").GetInt64() == kind);
        var abuse = (await ana.InvokeAsync("SendMessage", "strict", Abuse, "v-2")).GetProperty("id").GetInt64();
        await admin.WaitForEventAsync("analysis", e => e.GetProperty("messageId").GetInt64() == abuse);

        var latest = await VerdictsAsync("/api/admin/verdicts");
        Assert.Equal([abuse, kind], latest.Select(v => v!["messageId"]!.GetValue<long>()));
        Assert.All(latest, v => Assert.Equal(("strict", "ana"), (v!["room"]!.GetValue<string>(), v["authorName"]!.GetValue<string>())));
        Assert.Equal(("unsafe", "hide"), (latest[0]!["verdict"]!["safety"]!.GetValue<string>(), latest[0]!["action"]!.GetValue<string>()));
        Assert.Equal(("safe", "happy"), (latest[1]!["verdict"]!["safety"]!.GetValue<string>(), latest[1]!["verdict"]!["mood"]!.GetValue<string>()));
        Assert.Null(latest[1]!["action"]);
        Assert.True(latest[0]!["verdict"]!["at"]!.GetValue<DateTimeOffset>() >= latest[1]!["verdict"]!["at"]!.GetValue<DateTimeOffset>());

        Assert.Equal([abuse], (await VerdictsAsync("/api/admin/verdicts?limit=1")).Select(v => v!["messageId"]!.GetValue<long>()));
        foreach (var limit in new[] { 0, 201 })
        {
            using var refused = await _host.Api.SendAsync(HttpMethod.Get, $"/api/admin/verdicts?limit={limit}", _admin);
            Assert.Equal((400, "invalid_request"), await ChatApiClient.ProblemAsync(refused));
        }

        using var guest = await _host.Api.SendAsync(HttpMethod.Get, "/api/admin/verdicts", await _host.Api.GuestTokenAsync("guest"));
        Assert.Equal((403, "forbidden"), await ChatApiClient.ProblemAsync(guest));

        // A deleted room's verdicts leave the feed with it.
        using var deleted = await _host.Api.SendAsync(HttpMethod.Delete, "/api/admin/rooms/strict", _admin);
        deleted.EnsureSuccessStatusCode();
        Assert.Empty(await VerdictsAsync("/api/admin/verdicts"));
    }

    private async Task<JsonArray> VerdictsAsync(string path)
    {
        using var response = await _host.Api.Http.SendAsync(Get(path));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }

    private HttpRequestMessage Get(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", _admin);
        return request;
    }

    private async Task<JsonNode> WaitForFlagAsync(string room, long messageId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var response = await _host.Api.Http.SendAsync(Get($"/api/admin/flags?room={room}&state=all"));
            var flags = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
            if (flags.FirstOrDefault(f => f!["messageId"]!.GetValue<long>() == messageId) is { } flag)
            {
                return flag;
            }

            Assert.True(DateTime.UtcNow < deadline, $"message {messageId} was not flagged within 10 s");
            await Task.Delay(50);
        }
    }
}
