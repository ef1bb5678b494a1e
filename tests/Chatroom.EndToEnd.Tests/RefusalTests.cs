using System.Net;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;
using Chatroom.Testing.SignalR;

namespace Chatroom.EndToEnd.Tests;

/// <summary>Every bad input gets a clear refusal with a stable code, and nothing is stored.</summary>
public sealed class RefusalTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private StandaloneHost _host = null!;
    private string _token = null!;
    private HubClient _client = null!;

    public async Task InitializeAsync()
    {
        // A slow refill (1 per second after the burst of 20) so a loaded machine cannot stretch a burst past it.
        _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?> { ["Chatroom:Chat:MessagesPerSecond"] = "1" });
        _token = await _host.Api.GuestTokenAsync("mallory");
        await _host.Api.CreateRoomAsync(_token, "refusals");
        _client = await _host.Api.ConnectWithTokenAsync(_token);
        await _client.InvokeAsync("JoinRoom", "refusals", null);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Theory]
    [InlineData("", "empty_text")]
    [InlineData("   \n\t ", "empty_text")]
    public async Task EmptyOrWhitespaceTextIsRefused(string text, string code)
    {
        var refusal = await Assert.ThrowsAsync<HubInvocationException>(() => _client.InvokeAsync("SendMessage", "refusals", text, "e-1"));
        Assert.Equal(code, refusal.Code);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task TextOverTheLimitIsRefusedAndTextAtTheLimitIsNot()
    {
        var refusal = await Assert.ThrowsAsync<HubInvocationException>(() =>
            _client.InvokeAsync("SendMessage", "refusals", new string('x', 2001), "long-1"));
        Assert.Equal("text_too_long", refusal.Code);
        Assert.Contains("2000", refusal.Refusal);
        await AssertNothingStoredAsync();

        // Characters, not UTF-16 units: 2,000 emoji are 2,000 characters.
        var atLimit = string.Concat(Enumerable.Repeat("😀", 2000));
        await _client.InvokeAsync("SendMessage", "refusals", atLimit, "long-2");
    }

    [Theory]
    [InlineData("Lobby")]
    [InlineData("no spaces")]
    [InlineData("")]
    [InlineData("a-very-long-room-name-that-goes-on-and-on-past-the-sixty-four-character-limit")]
    public async Task InvalidRoomNamesAreRefused(string room)
    {
        var join = await Assert.ThrowsAsync<HubInvocationException>(() => _client.InvokeAsync("JoinRoom", room, null));
        Assert.Equal("invalid_room_name", join.Code);

        using var create = await _host.Api.SendAsync(HttpMethod.Post, "/api/rooms", _token, new { name = room });
        Assert.Equal((400, "invalid_room_name"), await ChatApiClient.ProblemAsync(create));
    }

    [Fact]
    public async Task UnknownRoomsAreRefused()
    {
        var join = await Assert.ThrowsAsync<HubInvocationException>(() => _client.InvokeAsync("JoinRoom", "no-such-room", null));
        Assert.Equal("unknown_room", join.Code);

        using var history = await _host.Api.SendAsync(HttpMethod.Get, "/api/rooms/no-such-room/messages", _token);
        Assert.Equal((404, "unknown_room"), await ChatApiClient.ProblemAsync(history));
    }

    [Fact]
    public async Task SendingToARoomNotJoinedIsRefused()
    {
        var refusal = await Assert.ThrowsAsync<HubInvocationException>(() => _client.InvokeAsync("SendMessage", "lobby", "hi", "nm-1"));
        Assert.Equal("not_member", refusal.Code);
        var page = await _host.Api.GetJsonAsync("/api/rooms/lobby/messages", _token);
        Assert.Empty(page["messages"]!.AsArray());
    }

    [Fact]
    public async Task InvalidClientMessageIdsAreRefused()
    {
        var refusal = await Assert.ThrowsAsync<HubInvocationException>(() =>
            _client.InvokeAsync("SendMessage", "refusals", "hi", new string('x', 65)));
        Assert.Equal("invalid_client_message_id", refusal.Code);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task MoreThanTheRateIsRefusedWithHowLongToWait()
    {
        // Sent without waiting for each reply, so a slow machine does not stretch the burst past the refill.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            try
            {
                await _client.InvokeAsync("SendMessage", "refusals", $"burst {i}", $"burst-{i}");
                return null;
            }
            catch (HubInvocationException e)
            {
                return e;
            }
        }));
        var refused = outcomes.OfType<HubInvocationException>().ToList();

        // Bursts of 20 pass; the refill at 1/s adds at most a few while 30 calls run.
        Assert.InRange(refused.Count, 1, 10);
        Assert.All(refused, e => Assert.Equal("rate_limited", e.Code));
        Assert.Contains("wait", refused[0].Refusal);
        var page = await _host.Api.GetJsonAsync("/api/rooms/refusals/messages?limit=200", _token);
        Assert.Equal(30 - refused.Count, page["messages"]!.AsArray().Count);
    }

    [Fact]
    public async Task TheHubNeedsAValidToken()
    {
        var missing = await Assert.ThrowsAnyAsync<Exception>(() => HubClient.ConnectAsync(_host.Address, "/hubs/chat", null));
        Assert.Contains("401", missing.Message);
        var forged = await Assert.ThrowsAnyAsync<Exception>(() => HubClient.ConnectAsync(_host.Address, "/hubs/chat", _token[..^4] + "AAAA"));
        Assert.Contains("401", forged.Message);
    }

    [Fact]
    public async Task RestNeedsAValidToken()
    {
        using var missing = await _host.Api.SendAsync(HttpMethod.Get, "/api/rooms", null);
        Assert.Equal((401, "unauthorized"), await ChatApiClient.ProblemAsync(missing));
        using var forged = await _host.Api.SendAsync(HttpMethod.Get, "/api/rooms", "v1.e30.AAAA");
        Assert.Equal((401, "unauthorized"), await ChatApiClient.ProblemAsync(forged));
    }

    public static TheoryData<string, string> AdminRoutes => new()
    {
        { "GET", "/api/admin/stats" },
        { "GET", "/api/admin/timeseries" },
        { "POST", "/api/admin/broadcast" },
        { "GET", "/api/admin/rooms/refusals/analysis" },
        { "GET", "/api/admin/flags" },
        { "POST", "/api/admin/flags/1/resolve" },
        { "GET", "/api/admin/audit" },
        { "PUT", "/api/admin/rooms/refusals/settings" },
        { "DELETE", "/api/admin/rooms/refusals" },
        { "POST", "/api/agents" },
        { "PUT", "/api/agents/assistant" },
        { "DELETE", "/api/agents/assistant" },
        { "GET", "/api/agents/assistant/events" },
        { "POST", "/api/analysis/classify" },
        { "GET", "/api/admin/guardian/cases" },
        { "GET", "/api/admin/guardian/cases/1" },
        { "POST", "/api/admin/guardian/cases/1/resolve" },
        { "GET", "/api/admin/guardian/accounts/someone" },
        { "GET", "/api/admin/guardian/settings" },
        { "PUT", "/api/admin/guardian/settings" },
        { "DELETE", "/api/admin/guardian/settings" },
        { "POST", "/api/analysis/guardian/score" },
    };

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task GuestsAreRefusedOnAdminRoutes(string method, string path)
    {
        using var response = await _host.Api.SendAsync(new HttpMethod(method), path, _token, new { text = "pwned", slowModeSeconds = 1, locked = true });
        Assert.Equal((403, "forbidden"), await ChatApiClient.ProblemAsync(response));
        await AssertNothingStoredAsync();
        using var rooms = await _host.Api.SendAsync(HttpMethod.Get, "/api/rooms", _token);
        Assert.Contains("\"refusals\"", await rooms.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AGuestNeverReceivesAdminAnalysisEvents()
    {
        // "admins" is the name of the SignalR group analysis events go to; a room of that name must not be a way in.
        await _host.Api.CreateRoomAsync(_token, "admins");
        await _client.InvokeAsync("JoinRoom", "admins", null);
        await using var admin = await _host.Api.ConnectWithTokenAsync(await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword));
        await admin.InvokeAsync("JoinRoom", "admins", null);
        await admin.InvokeAsync("JoinRoom", "refusals", null);

        var ids = new List<long>();
        foreach (var (room, text) in new[] { ("admins", "you are a worthless idiot"), ("refusals", "lovely weather today"), ("admins", "see you later") })
        {
            ids.Add((await _client.InvokeAsync("SendMessage", room, text, Guid.NewGuid().ToString("N"))).GetProperty("id").GetInt64());
        }

        foreach (var id in ids)
        {
            await admin.WaitForEventAsync("analysis", e => e.GetProperty("messageId").GetInt64() == id, TimeSpan.FromSeconds(30));
        }

        Assert.NotEmpty(_client.EventsOf("message"));
        Assert.Empty(_client.EventsOf("analysis"));
    }

    [Fact]
    public async Task AWrongAdminPasswordIsRefused()
    {
        using var response = await _host.Api.SendAsync(HttpMethod.Post, "/api/auth/admin", null, new { password = "guess" });
        Assert.Equal((401, "invalid_password"), await ChatApiClient.ProblemAsync(response));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("system")]
    [InlineData("a-name-that-is-much-longer-than-thirty-two-characters")]
    public async Task BadGuestNamesAreRefused(string name)
    {
        using var response = await _host.Api.SendAsync(HttpMethod.Post, "/api/auth/guest", null, new { name });
        Assert.Equal((400, "invalid_name"), await ChatApiClient.ProblemAsync(response));
    }

    public static TheoryData<string, bool> BodyRoutes => new()
    {
        { "/api/auth/guest", false },
        { "/api/auth/admin", false },
        { "/api/rooms", false },
        { "/api/admin/broadcast", true },
        { "/api/agents", true },
        { "/api/analysis/classify", true },
        { "/api/analysis/guardian/score", true },
    };

    [Theory]
    [MemberData(nameof(BodyRoutes))]
    public async Task MalformedAndOversizedBodiesAreRefused(string path, bool asAdmin)
    {
        var token = asAdmin ? await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword) : _token;
        using var malformed = await PostRawAsync(path, token, "{not json");
        Assert.Equal((400, "invalid_request"), await ChatApiClient.ProblemAsync(malformed));

        // 1 MB of valid JSON: refused for its size, whatever it holds.
        var huge = "{\"name\":\"huge\",\"text\":\"" + new string('x', 1024 * 1024) + "\"}";
        using (var oversized = await PostRawAsync(path, token, huge, expectContinue: true))
        {
            Assert.Equal((413, "payload_too_large"), await ChatApiClient.ProblemAsync(oversized));
        }

        // Without "Expect: 100-continue" the client sends the megabyte regardless; the server answers 413 early and may
        // close the connection before all of it is in, which the client sees as a broken pipe instead of the answer.
        try
        {
            using var blasted = await PostRawAsync(path, token, huge);
            Assert.Equal((413, "payload_too_large"), await ChatApiClient.ProblemAsync(blasted));
        }
        catch (HttpRequestException e) when (e.InnerException is IOException)
        {
            // Refused all the same.
        }

        using var health = await _host.Api.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var rooms = await _host.Api.SendAsync(HttpMethod.Get, "/api/rooms", _token);
        Assert.DoesNotContain("\"huge\"", await rooms.Content.ReadAsStringAsync());
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task CreatingAnExistingRoomIsAConflict()
    {
        using var response = await _host.Api.SendAsync(HttpMethod.Post, "/api/rooms", _token, new { name = "refusals" });
        Assert.Equal((409, "room_exists"), await ChatApiClient.ProblemAsync(response));
    }

    [Theory]
    [InlineData("limit=0", "invalid_request")]
    [InlineData("limit=1000", "invalid_request")]
    [InlineData("before=0", "invalid_cursor")]
    [InlineData("after=-1", "invalid_cursor")]
    [InlineData("after=5&before=3", "invalid_cursor")]
    public async Task BadHistoryQueriesAreRefused(string query, string code)
    {
        using var response = await _host.Api.SendAsync(HttpMethod.Get, $"/api/rooms/refusals/messages?{query}", _token);
        Assert.Equal((400, code), await ChatApiClient.ProblemAsync(response));
    }

    private async Task<HttpResponseMessage> PostRawAsync(string path, string token, string json, bool expectContinue = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = expectContinue;
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await _host.Api.Http.SendAsync(request);
    }

    private async Task AssertNothingStoredAsync()
    {
        var page = await _host.Api.GetJsonAsync("/api/rooms/refusals/messages", _token);
        Assert.Empty(page["messages"]!.AsArray());
    }
}
