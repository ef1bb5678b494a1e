using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chatroom.Testing.FakeLlm;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;
using Chatroom.Testing.SignalR;

namespace Chatroom.EndToEnd.Tests;

/// <summary>
/// The policy model (a fake gpt-oss-safeguard behind a fake Ollama) reads each room's written rules for held messages and
/// for appeals; appeals reach the review queue with its advice, and a moderator restores or upholds.
/// </summary>
public sealed class AppealTests : IAsyncLifetime
{
    private const string Abuse = "you are a worthless idiot, go kill yourself";

    /// <summary>How long a verdict may take behind the queue and the policy model on a loaded machine.</summary>
    private static readonly TimeSpan Analysed = TimeSpan.FromSeconds(120);
    private const string RoastRules = "Roasting each other is this room's game.";
    private const string StrictRules = "No insults at all, not even in jest.";
    private readonly TempDirectory _data = new();
    private FakeOllamaServer _policy = null!;
    private StandaloneHost _host = null!;
    private string _admin = null!;

    public async Task InitializeAsync()
    {
        _policy = await FakeOllamaServer.StartAsync();
        _policy.Responder = Decide;
        _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["ConnectionStrings:policy-model"] = $"Endpoint={_policy.Endpoint};Model=gpt-oss-safeguard:20b",
            ["Chatroom:Analysis:Rooms:roast:Action"] = "Hide",
            ["Chatroom:Analysis:Rooms:strict:Action"] = "Hide",
            ["Chatroom:Api:AppealsPerHour"] = "2",
        });
        _admin = await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
        foreach (var (room, rules) in new[] { ("roast", RoastRules), ("strict", StrictRules) })
        {
            await _host.Api.CreateRoomAsync(_admin, room);
            using var set = await _host.Api.SendAsync(HttpMethod.Put, $"/api/admin/rooms/{room}/rules", _admin, new { text = rules });
            set.EnsureSuccessStatusCode();
        }
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _policy.DisposeAsync();
        _data.Dispose();
    }

    /// <summary>The fake policy model: an appeal of a quote is within the rules, and so is roasting where the room allows it.</summary>
    private static FakeLlmReply Decide(JsonElement request)
    {
        var system = request.GetProperty("messages")[0].GetProperty("content").GetString()!;
        var within = system.Contains("# Appeal", StringComparison.Ordinal) || system.Contains(RoastRules, StringComparison.Ordinal);
        return FakeLlmReply.Text(within
            ? """{"violation": 0, "rule": null, "rationale": "A quote, criticised."}"""
            : """{"violation": 1, "rule": "harassment", "rationale": "It insults another member."}""");
    }

    [Fact]
    public async Task ThePolicyModelReadsTheRoomsOwnRules_AndItsDecisionChangesTheAction()
    {
        await using var admin = await _host.Api.ConnectWithTokenAsync(_admin);
        await using var alice = await _host.Api.ConnectAsync("alice");
        await alice.InvokeAsync("JoinRoom", "roast", null);
        await alice.InvokeAsync("JoinRoom", "strict", null);

        var roasted = (await alice.InvokeAsync("SendMessage", "roast", Abuse, "r-1")).GetProperty("id").GetInt64();
        var strictText = Abuse + ", seriously";
        var insulted = (await alice.InvokeAsync("SendMessage", "strict", strictText, "s-1")).GetProperty("id").GetInt64();

        var roastVerdict = await admin.WaitForEventAsync("analysis", e => e.GetProperty("room").GetString() == "roast" && e.GetProperty("messageId").GetInt64() == roasted, Analysed);
        var strictVerdict = await admin.WaitForEventAsync("analysis", e => e.GetProperty("room").GetString() == "strict" && e.GetProperty("messageId").GetInt64() == insulted, Analysed);
        Assert.Equal("flag", roastVerdict.GetProperty("action").GetString());
        Assert.Equal("hide", strictVerdict.GetProperty("action").GetString());
        await alice.WaitForEventAsync("messageHidden", e => e.GetProperty("id").GetInt64() == insulted, Analysed);

        var roastSystem = SystemMessageFor(Abuse);
        Assert.Contains("# This room's rules\n" + RoastRules, roastSystem, StringComparison.Ordinal);
        Assert.DoesNotContain(StrictRules, roastSystem, StringComparison.Ordinal);
        var strictSystem = SystemMessageFor(strictText);
        Assert.Contains("# This room's rules\n" + StrictRules, strictSystem, StringComparison.Ordinal);
        Assert.DoesNotContain(RoastRules, strictSystem, StringComparison.Ordinal);

        var roastFlag = (await _host.Api.GetJsonArrayAsync("/api/admin/flags?room=roast", _admin)).Single()!;
        Assert.Contains("finds it within the rules", roastFlag["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAppealGetsTheModelsAdvice_AndAModeratorRestoresTheMessageForEveryone()
    {
        var aliceToken = await _host.Api.GuestTokenAsync("alice");
        var bobToken = await _host.Api.GuestTokenAsync("bob");
        await using var alice = await _host.Api.ConnectWithTokenAsync(aliceToken);
        await using var bob = await _host.Api.ConnectWithTokenAsync(bobToken);
        await alice.InvokeAsync("JoinRoom", "strict", null);
        await bob.InvokeAsync("JoinRoom", "strict", null);
        var hidden = (await alice.InvokeAsync("SendMessage", "strict", Abuse, "a-1")).GetProperty("id").GetInt64();
        var fine = (await alice.InvokeAsync("SendMessage", "strict", "thanks for the game, well played", "a-2")).GetProperty("id").GetInt64();
        await bob.WaitForEventAsync("messageHidden", e => e.GetProperty("id").GetInt64() == hidden, Analysed);
        const string Reason = "I was quoting what someone sent me, to report it.";

        Assert.Equal((403, "not_your_message"), await AppealAsync(bobToken, "strict", hidden, Reason));
        Assert.Equal((409, "nothing_to_appeal"), await AppealAsync(aliceToken, "strict", fine, Reason));
        Assert.Equal((400, "reason_too_long"), await AppealAsync(aliceToken, "strict", hidden, new string('x', 1001)));
        Assert.Equal((400, "invalid_request"), await AppealAsync(aliceToken, "strict", hidden, " "));
        Assert.Equal((404, "not_found"), await AppealAsync(aliceToken, "strict", 9_999, Reason));
        Assert.Equal((404, "unknown_room"), await AppealAsync(aliceToken, "nowhere", hidden, Reason));

        Assert.Equal((202, (string?)null), await AppealAsync(aliceToken, "strict", hidden, Reason));
        Assert.Equal((409, "appeal_exists"), await AppealAsync(aliceToken, "strict", hidden, "and again"));

        var flag = await Poll.UntilAsync("the model's advice on the appeal", async () =>
            (await _host.Api.GetJsonArrayAsync("/api/admin/flags?state=appealed&room=strict", _admin))
                .SingleOrDefault(f => f!["messageId"]!.GetValue<long>() == hidden && f["appeal"]?["advice"] is not null));
        Assert.Equal(Reason, flag["appeal"]!["reason"]!.GetValue<string>());
        var advice = flag["appeal"]!["advice"]!;
        Assert.Equal(("restore", "A quote, criticised.", "gpt-oss-safeguard:20b"),
            (advice["recommendation"]!.GetValue<string>(), advice["rationale"]!.GetValue<string>(), advice["model"]!.GetValue<string>()));
        var appealSystem = _policy.Requests.Select(r => r.GetProperty("messages")).Single(m => m[1].GetProperty("content").GetString()!.Contains(Reason, StringComparison.Ordinal))[0]
            .GetProperty("content").GetString()!;
        Assert.Contains("# This room's rules\n" + StrictRules, appealSystem, StringComparison.Ordinal);
        Assert.Contains(await _host.Api.GetJsonArrayAsync("/api/admin/audit", _admin), e => e!["action"]!.GetValue<string>() == "appeal_advice");

        // Advice is not a decision: the message stays hidden until a moderator restores it.
        Assert.True(await IsHiddenAsync(bobToken, hidden));
        Assert.Equal("appealed", (await _host.Api.GetJsonAsync($"/api/rooms/strict/messages/{hidden}/appeal", aliceToken))["state"]!.GetValue<string>());

        using (var restored = await _host.Api.SendAsync(HttpMethod.Post, $"/api/admin/flags/{flag["id"]}/appeal", _admin, new { decision = "restore", reason = "it was a quote" }))
        {
            restored.EnsureSuccessStatusCode();
        }

        var shown = await bob.WaitForEventAsync("message", e => e.GetProperty("id").GetInt64() == hidden, Analysed);
        Assert.Equal(Abuse, shown.GetProperty("text").GetString());
        Assert.False(await IsHiddenAsync(bobToken, hidden));
        var outcome = await _host.Api.GetJsonAsync($"/api/rooms/strict/messages/{hidden}/appeal", aliceToken);
        Assert.Equal(("restored", "it was a quote"), (outcome["state"]!.GetValue<string>(), outcome["outcome"]!.GetValue<string>()));

        using var twice = await _host.Api.SendAsync(HttpMethod.Post, $"/api/admin/flags/{flag["id"]}/appeal", _admin, new { decision = "uphold", reason = "changed my mind" });
        Assert.Equal((400, "invalid_request"), await ChatApiClient.ProblemAsync(twice));
    }

    [Fact]
    public async Task AnUpheldAppealLeavesTheMessageHidden_AndAppealsAreRateLimited()
    {
        var carolToken = await _host.Api.GuestTokenAsync("carol");
        await using var carol = await _host.Api.ConnectWithTokenAsync(carolToken);
        await carol.InvokeAsync("JoinRoom", "strict", null);
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await carol.InvokeAsync("SendMessage", "strict", $"{Abuse} #{i}", $"c-{i}")).GetProperty("id").GetInt64());
        }

        foreach (var id in ids)
        {
            await carol.WaitForEventAsync("messageHidden", e => e.GetProperty("id").GetInt64() == id, Analysed);
        }

        Assert.Equal((202, (string?)null), await AppealAsync(carolToken, "strict", ids[0], "It was a joke."));
        var flag = (await _host.Api.GetJsonArrayAsync("/api/admin/flags?state=appealed&room=strict", _admin)).Single(f => f!["messageId"]!.GetValue<long>() == ids[0])!;
        using (var upheld = await _host.Api.SendAsync(HttpMethod.Post, $"/api/admin/flags/{flag["id"]}/appeal", _admin, new { decision = "uphold", reason = "threats are not jokes" }))
        {
            Assert.Equal("upheld", (await upheld.Content.ReadFromJsonAsync<JsonObject>())!["state"]!.GetValue<string>());
        }

        Assert.True(await IsHiddenAsync(carolToken, ids[0]));
        Assert.Equal("upheld", (await _host.Api.GetJsonAsync($"/api/rooms/strict/messages/{ids[0]}/appeal", carolToken))["state"]!.GetValue<string>());

        Assert.Equal((202, (string?)null), await AppealAsync(carolToken, "strict", ids[1], "Also a joke."));
        using var third = await _host.Api.SendAsync(HttpMethod.Post, $"/api/rooms/strict/messages/{ids[2]}/appeal", carolToken, new { reason = "A third joke." });
        Assert.Equal((429, "rate_limited"), await ChatApiClient.ProblemAsync(third));
        Assert.NotNull(third.Headers.RetryAfter);
    }

    private string SystemMessageFor(string text) =>
        _policy.Requests.Select(r => r.GetProperty("messages")).Single(m => m[1].GetProperty("content").GetString() == text)[0]
            .GetProperty("content").GetString()!;

    private async Task<(int Status, string? Code)> AppealAsync(string token, string room, long id, string reason)
    {
        using var response = await _host.Api.SendAsync(HttpMethod.Post, $"/api/rooms/{room}/messages/{id}/appeal", token, new { reason });
        return response.IsSuccessStatusCode ? ((int)response.StatusCode, null) : await ChatApiClient.ProblemAsync(response);
    }

    private async Task<bool> IsHiddenAsync(string token, long id)
    {
        var page = await _host.Api.GetJsonAsync("/api/rooms/strict/messages", token);
        return page["messages"]!.AsArray().Single(m => m!["id"]!.GetValue<long>() == id)!["hidden"]!.GetValue<bool>();
    }
}
