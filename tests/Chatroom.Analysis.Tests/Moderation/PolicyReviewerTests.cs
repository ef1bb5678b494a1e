using Chatroom.Analysis.Models;
using Chatroom.Analysis.Moderation.Llm;
using Chatroom.Analysis.Tests.Models;
using Chatroom.Testing.FakeLlm;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Tests.Moderation;

/// <summary>The policy reviewer (gpt-oss-safeguard) against a fake Ollama: the rules go in the system message, the decision comes back with its reason.</summary>
public sealed class PolicyReviewerTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly TestMeterFactory _meters = new();
    private FakeOllamaServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOllamaServer.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _meters.Dispose();
        await _server.DisposeAsync();
    }

    private PolicyReviewer Create(string rules) => new(
        AnalysisModelClientFactory.Create(AnalysisModelConnection.Parse($"Endpoint={_server.Endpoint};Model=gpt-oss-safeguard:20b"), _http),
        Options.Create(new PolicyReviewerOptions { Rules = rules }),
        Options.Create(new LlmModeratorOptions { MaxRetries = 0 }),
        new LlmMetrics(_meters),
        NullLogger<PolicyReviewer>.Instance);

    [Fact]
    public async Task TheRulesGoInTheSystemMessage_AndTheDecisionComesBackWithItsReason()
    {
        _server.Enqueue(FakeLlmReply.Text("""
            The message calls a named person worthless; that is abuse aimed at a person.
            {"violation": 1, "rule": "harassment", "rationale": "It insults another member directly."}
            """, promptTokens: 400, completionTokens: 60));
        var reviewer = Create("# House rules\nNo insults aimed at a person. Swearing for emphasis is fine.");

        var decision = await reviewer.ReviewAsync("you are worthless, sam", null, CancellationToken.None);

        Assert.Equal(new PolicyDecision(true, "harassment", "It insults another member directly.", "gpt-oss-safeguard:20b"), decision);
        var messages = Assert.Single(_server.Requests).GetProperty("messages");
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        Assert.StartsWith("# House rules", messages[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"violation\"", messages[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal("you are worthless, sam", messages[1].GetProperty("content").GetString());
        Assert.Equal(400, _meters.Sum("chatroom.llm.tokens", ("purpose", PolicyReviewer.Purpose), ("kind", "prompt")));
    }

    [Fact]
    public async Task AnAnswerWithoutADecision_IsNoDecision_AndCounted()
    {
        _server.Enqueue(FakeLlmReply.Text("I think it is probably fine."));
        var reviewer = Create("No insults aimed at a person.");

        Assert.Null(await reviewer.ReviewAsync("that gig was sick", null, CancellationToken.None));
        Assert.Equal(1, _meters.Sum("chatroom.llm.requests", ("purpose", PolicyReviewer.Purpose), ("outcome", "malformed")));
    }

    [Fact]
    public async Task ARoomsOwnRulesFollowTheServersUnderTheirOwnHeading()
    {
        _server.Enqueue(FakeLlmReply.Text("""{"violation": 0, "rule": null, "rationale": "Trash talk is part of this room's game."}"""));
        var reviewer = Create("# House rules\nNo insults aimed at a person.");

        var decision = await reviewer.ReviewAsync("your opening is garbage", "Trash talk about moves is fine here.", CancellationToken.None);

        Assert.False(decision!.Violates);
        var system = Assert.Single(_server.Requests).GetProperty("messages")[0].GetProperty("content").GetString()!;
        Assert.StartsWith("# House rules\nNo insults aimed at a person.\n\n# This room's rules\nTrash talk about moves is fine here.\n", system, StringComparison.Ordinal);
        Assert.Contains("\"violation\"", system, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAppealGoesAfterTheContent_AndTheModelIsToldItIsAnAppeal()
    {
        _server.Enqueue(FakeLlmReply.Text("""{"violation": 0, "rule": null, "rationale": "A quote, criticised."}"""));
        var reviewer = Create("# House rules\nNo insults aimed at a person.");

        var decision = await reviewer.ReviewAppealAsync("\"you idiot\" is what he said to me", "I was quoting someone to complain about it.", null, CancellationToken.None);

        Assert.Equal(new PolicyDecision(false, null, "A quote, criticised.", "gpt-oss-safeguard:20b"), decision);
        var messages = Assert.Single(_server.Requests).GetProperty("messages");
        Assert.Contains("# Appeal", messages[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal("\"you idiot\" is what he said to me\n\n# The author's appeal\nI was quoting someone to complain about it.",
            messages[1].GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("""{"violation": 0, "rule": null, "rationale": "Swearing for emphasis."}""", false)]
    [InlineData("""{"violation": true, "rationale": "A threat."}""", true)]
    [InlineData("""{"violation": 2, "rationale": "?"}""", null)]
    [InlineData("""{"violation": 1}""", null)]
    [InlineData("""{"violation": 1, "rationale": """, null)]
    public void DecisionsAreReadFromTheFirstJsonObject(string answer, bool? violates) =>
        Assert.Equal(violates, PolicyReviewer.Parse("thinking…\n" + answer, "m")?.Violates);
}
