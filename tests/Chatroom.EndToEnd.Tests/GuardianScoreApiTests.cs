using System.Net.Http.Json;
using System.Text.Json;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;

namespace Chatroom.EndToEnd.Tests;

/// <summary><c>POST /api/analysis/guardian/score</c> through the whole host: the scorer on a transcript, and its refusals.</summary>
public sealed class GuardianScoreApiTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new("chatroom-guardian-api");
    private StandaloneHost _host = null!;
    private string _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await StandaloneHost.StartAsync(_data.Path);
        _admin = await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task AConcerningTranscriptWouldOpenACase_WithSignalsAndTheirEvidence()
    {
        using var response = await _host.Api.SendAsync(HttpMethod.Post, "/api/analysis/guardian/score", _admin, new
        {
            participants = new object[] { new { id = "a", age = 36 }, new { id = "k", age = 12 } },
            messages = new object[]
            {
                new { from = "a", text = "how old are you?", sentAt = "2026-12-07T21:40:00Z" },
                new { from = "k", text = "12", sentAt = "2026-12-07T21:41:00Z" },
                new { from = "a", text = "don't tell your parents we talk, ok? it's our secret", sentAt = "2026-12-07T21:43:00Z" },
                new { from = "a", text = "add me on telegram, this app reads everything", sentAt = "2026-12-07T21:44:00Z" },
                new { from = "a", text = "we could meet at the park on saturday, just us", sentAt = "2026-12-07T21:46:00Z" },
            },
        });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(body.GetProperty("wouldOpenCase").GetBoolean());
        Assert.InRange(body.GetProperty("score").GetDouble(), 0.5, 1);
        var secrecy = body.GetProperty("signals").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "secrecy");
        Assert.Contains("don't tell your parents we talk, ok? it's our secret", secrecy.GetProperty("evidence").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task AMessageFromSomeoneNotInTheParticipantsIsRefused()
    {
        using var response = await _host.Api.SendAsync(HttpMethod.Post, "/api/analysis/guardian/score", _admin, new
        {
            participants = new object[] { new { id = "a", age = 36 } },
            messages = new object[] { new { from = "z", text = "hello" } },
        });
        Assert.Equal((400, "invalid_request"), await ChatApiClient.ProblemAsync(response));
    }
}
