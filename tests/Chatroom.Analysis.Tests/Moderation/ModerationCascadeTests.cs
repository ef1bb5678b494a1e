using Chatroom.Analysis.Models;
using Chatroom.Analysis.Moderation;
using Chatroom.Analysis.Moderation.Classifiers;
using Chatroom.Analysis.Moderation.Llm;
using Chatroom.Analysis.Tests.Models;
using Chatroom.Testing.FakeLlm;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Tests.Moderation;

public sealed class ModerationCascadeTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly TestMeterFactory _meters = new();
    private FakeOpenAiServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _meters.Dispose();
        await _server.DisposeAsync();
    }

    private ModerationCascade Create(LlmPolicy policy, bool withLlm = true, Action<ModerationOptions>? configure = null)
    {
        var options = new ModerationOptions { Llm = policy };
        configure?.Invoke(options);
        var monitor = new FixedOptionsMonitor<ModerationOptions>(options);
        if (!withLlm)
        {
            return new ModerationCascade(ClassifierModerator.Default, monitor);
        }

        var connection = AnalysisModelConnection.Parse($"Endpoint={_server.ApiEndpoint};Model=small-judge;Provider=openai;Key=k");
        var client = AnalysisModelClientFactory.Create(connection, _http);
        var llm = new LlmModerator(client, Options.Create(new LlmModeratorOptions { AttemptTimeout = TimeSpan.FromSeconds(10), MaxRetries = 0 }), new LlmMetrics(_meters), NullLogger<LlmModerator>.Instance);
        return new ModerationCascade(ClassifierModerator.Default, monitor, llm);
    }

    [Fact]
    public async Task Never_UsesOnlyTheEmbeddedTier()
    {
        var verdict = await Create(LlmPolicy.Never).ClassifyAsync("you're an idiot");

        Assert.Equal(SafetyLabels.EmbeddedTier, verdict.Tier);
        Assert.Equal(0, _server.ChatRequestCount);
    }

    [Fact]
    public async Task Always_LetsTheLlmDecide_AndRecordsIt()
    {
        _server.Enqueue(FakeLlmReply.Json(LlmModeratorTests.Verdicts((1, "neutral", "safe", []))));

        var verdict = await Create(LlmPolicy.Always).ClassifyAsync("good morning");

        Assert.Equal(SafetyLabels.LlmTier, verdict.Tier);
        Assert.Equal("small-judge", verdict.Model);
        Assert.Equal(1, _server.ChatRequestCount);
    }

    [Fact]
    public async Task WhenUncertain_EscalatesOnlyUncertainMessages_InOneRequest()
    {
        // The confidence thresholds alone (no severe categories, no uncertain bands): SafetyCascadeTests covers those.
        var cascade = Create(LlmPolicy.WhenUncertain, configure: o =>
        {
            o.Escalation.SevereCategories = "";
            o.Escalation.Band = new EscalationBand { Low = 0, High = 0 };
        });
        var options = new ModerationOptions();
        string[] texts = ["good morning everyone, have a great day!", "fuck", "I'm going to kill you"];
        var embedded = texts.Select(ClassifierModerator.Default.Classify).ToArray();
        var uncertain = embedded.Count(v => ModerationCascade.IsUncertain(v, options));
        Assert.InRange(uncertain, 1, 2);
        _server.Responder = _ => FakeLlmReply.Json(LlmModeratorTests.Verdicts(Enumerable.Range(1, uncertain).Select(i => (i, "sad", "unsafe", new[] { "harassment" })).ToArray()));

        var verdicts = await cascade.ClassifyAsync(texts, ["earlier"]);

        Assert.Equal(1, _server.ChatRequestCount);
        for (var i = 0; i < texts.Length; i++)
        {
            var expectedTier = ModerationCascade.IsUncertain(embedded[i], options) ? SafetyLabels.LlmTier : SafetyLabels.EmbeddedTier;
            Assert.Equal(expectedTier, verdicts[i].Tier);
        }
    }

    [Fact]
    public async Task FailingLlm_LeavesTheEmbeddedVerdict()
    {
        _server.DefaultReply = FakeLlmReply.Status(500);

        var verdict = await Create(LlmPolicy.Always).ClassifyAsync("I'm going to kill you");

        Assert.Equal(SafetyLabels.EmbeddedTier, verdict.Tier);
        Assert.Equal(SafetyLabels.Unsafe, verdict.Safety);
        Assert.Equal(ModerationVerdict.FallbackLlmFailed, verdict.Fallback);
    }

    [Fact]
    public async Task FailingLlm_OpensTheCircuit_AndTheVerdictsSaySo()
    {
        _server.DefaultReply = FakeLlmReply.Status(500);
        var cascade = Create(LlmPolicy.Always);

        var verdicts = new List<ModerationVerdict>();
        for (var i = 0; i < 6; i++)
        {
            verdicts.Add(await cascade.ClassifyAsync($"message {i}"));
        }

        Assert.All(verdicts, v => Assert.Equal(SafetyLabels.EmbeddedTier, v.Tier));
        Assert.Equal(ModerationVerdict.FallbackLlmFailed, verdicts[0].Fallback);
        Assert.Equal(ModerationVerdict.FallbackCircuitOpen, verdicts[^1].Fallback);
    }

    [Fact]
    public async Task AbsentLlm_LeavesTheEmbeddedVerdict()
    {
        var verdict = await Create(LlmPolicy.Always, withLlm: false).ClassifyAsync("hello");

        Assert.Equal(SafetyLabels.EmbeddedTier, verdict.Tier);
        Assert.Null(verdict.Fallback);
    }

    [Fact]
    public async Task PerCallPolicy_OverridesTheGlobalOne()
    {
        var verdict = await Create(LlmPolicy.Always).ClassifyAsync("hello", policy: LlmPolicy.Never);

        Assert.Equal(SafetyLabels.EmbeddedTier, verdict.Tier);
        Assert.Equal(0, _server.ChatRequestCount);
    }
}
