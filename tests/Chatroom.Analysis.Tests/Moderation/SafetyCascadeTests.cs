using Chatroom.Analysis.Models;
using Chatroom.Analysis.Moderation;
using Chatroom.Analysis.Moderation.Classifiers;
using Chatroom.Analysis.Moderation.Llm;
using Chatroom.Analysis.Tests.Models;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.FakeLlm;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Tests.Moderation;

/// <summary>The cascade with a safety judge: which verdicts go up, who decides what, and the escalation metrics.</summary>
public sealed class SafetyCascadeTests : IAsyncLifetime
{
    private const string Greeting = "good morning everyone, have a great day!";
    private const string Threat = "I'm going to kill you";

    /// <summary>One client per model: the Ollama client takes its server's address as the HttpClient's base address.</summary>
    private readonly List<HttpClient> _http = [];
    private readonly TestMeterFactory _meters = new();
    private FakeOllamaServer _guard = null!;
    private FakeOllamaServer _analysis = null!;

    public async Task InitializeAsync()
    {
        _guard = await FakeOllamaServer.StartAsync();
        _analysis = await FakeOllamaServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _http.ForEach(h => h.Dispose());
        _meters.Dispose();
        await _guard.DisposeAsync();
        await _analysis.DisposeAsync();
    }

    private ModerationCascade Create(ModerationOptions options, bool withAnalysisModel = false, Action<LlmModeratorOptions>? resilience = null)
    {
        var monitor = new FixedOptionsMonitor<ModerationOptions>(options);
        var judge = SafetyJudgeTests.CreateJudge(_guard, "llama-guard3:1b", _meters, Http(), resilience: resilience);
        var llm = withAnalysisModel
            ? new LlmModerator(AnalysisModelClientFactory.Create(AnalysisModelConnection.Parse($"Endpoint={_analysis.Endpoint};Model=qwen2.5:1.5b"), Http()),
                Options.Create(new LlmModeratorOptions { MaxRetries = 0 }), new LlmMetrics(_meters), NullLogger<LlmModerator>.Instance)
            : null;
        return new ModerationCascade(new ClassifierModerator(ModerationLexicon.Default, monitor), monitor, llm, judge, new EscalationMetrics(_meters));
    }

    private HttpClient Http()
    {
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _http.Add(http);
        return http;
    }

    [Fact]
    public async Task SevereCategoriesAlwaysGoToTheJudge_AndItsAnswerDecidesSafety()
    {
        var options = new ModerationOptions();
        var embedded = ClassifierModerator.Default.Classify(Threat);
        Assert.Contains(SafetyCategories.Violence, embedded.Categories);
        _guard.Responder = FakeSafetyModel.LlamaGuard(_ => []);

        var verdict = await Create(options).ClassifyAsync(Threat);

        Assert.Equal(1, _guard.ChatRequestCount);
        Assert.Equal(SafetyLabels.Safe, verdict.Safety);
        Assert.Empty(verdict.Categories);
        Assert.Equal((SafetyLabels.LlmTier, "llama-guard3:1b"), (verdict.Tier, verdict.Model));
        Assert.Equal(embedded.Mood, verdict.Mood);
        Assert.Equal(1, _meters.Sum("chatroom.moderation.escalations", ("reason", "severe"), ("tier", EscalationMetrics.SafetyJudgeTier)));
        Assert.Equal(1, _meters.Sum("chatroom.moderation.judge.outcomes", ("outcome", "override"), ("model", "llama-guard3:1b")));
        Assert.Single(_meters.Measurements, m => m.Instrument == "chatroom.moderation.escalation.latency" && m.Tags["tier"] == EscalationMetrics.SafetyJudgeTier);
    }

    [Fact]
    public async Task ClearVerdictsStayEmbedded_AndTheShareEscalatedIsCounted()
    {
        _guard.Responder = FakeSafetyModel.LlamaGuard(SafetyJudgeTests.Hazards);
        var cascade = Create(new ModerationOptions());

        string[] texts = [Greeting, Threat, "go kill yourself"];
        var reasons = texts.Select(t => ModerationCascade.Reasons(ClassifierModerator.Default.Classify(t), new ModerationOptions(), LlmPolicy.WhenUncertain)).ToArray();
        Assert.Equal(EscalationReasons.None, reasons[0] & EscalationReasons.Safety);
        Assert.All(reasons[1..], r => Assert.True(r.HasFlag(EscalationReasons.Severe)));

        var verdicts = await cascade.ClassifyAsync(texts, ["earlier"]);

        Assert.Equal(SafetyLabels.EmbeddedTier, verdicts[0].Tier);
        Assert.Equal(2, _guard.ChatRequestCount);
        Assert.Equal(SafetyLabels.Unsafe, verdicts[2].Safety);
        Assert.Equal([SafetyCategories.SelfHarm], verdicts[2].Categories);
        Assert.Equal(3, _meters.Sum("chatroom.moderation.screened"));
        Assert.Equal(2, _meters.Sum("chatroom.moderation.escalations", ("tier", EscalationMetrics.SafetyJudgeTier)));
        Assert.Equal(reasons.Count(r => r != EscalationReasons.None), _meters.Sum("chatroom.moderation.escalations"));
        Assert.Equal(1, _meters.Sum("chatroom.moderation.judge.outcomes", ("outcome", "agree")));
    }

    [Fact]
    public async Task AnUncertainBandSendsAMiddlingScoreUp_AndAnEmptyBandDoesNot()
    {
        _guard.Responder = FakeSafetyModel.LlamaGuard(_ => ["S5"]);
        const string Text = "you're an idiot";
        var embedded = ClassifierModerator.Default.Classify(Text);
        var harassment = embedded.CategoryScores[SafetyCategories.All.ToList().IndexOf(SafetyCategories.Harassment)];
        var around = new ModerationOptions { SafetyConfidenceThreshold = 0.5, MoodConfidenceThreshold = 0 };
        around.Escalation.Band = new EscalationBand { Low = 0, High = 0 };
        around.Escalation.Bands[SafetyCategories.Harassment] = new EscalationBand { Low = Math.Max(0, harassment - 0.01), High = Math.Min(1, harassment + 0.01) };
        var nowhere = new ModerationOptions { SafetyConfidenceThreshold = 0.5, MoodConfidenceThreshold = 0 };
        nowhere.Escalation.Band = new EscalationBand { Low = 0, High = 0 };
        nowhere.Escalation.SevereCategories = "";

        var up = await Create(around).ClassifyAsync(Text);
        var stays = await Create(nowhere).ClassifyAsync(Text);

        Assert.Equal((SafetyLabels.LlmTier, SafetyLabels.Unsafe), (up.Tier, up.Safety));
        Assert.Equal([SafetyCategories.Harassment], up.Categories);
        Assert.Equal(SafetyLabels.EmbeddedTier, stays.Tier);
        Assert.Equal(1, _meters.Sum("chatroom.moderation.escalations", ("reason", "uncertain_safety")));
    }

    [Fact]
    public async Task AMalformedJudgeAnswer_KeepsTheEmbeddedVerdict_AndIsCountedAsAFailure()
    {
        _guard.DefaultReply = FakeLlmReply.Text("As an AI model I cannot do that.");

        var verdict = await Create(new ModerationOptions()).ClassifyAsync(Threat);

        Assert.Equal(SafetyLabels.EmbeddedTier, verdict.Tier);
        Assert.Equal(SafetyLabels.Unsafe, verdict.Safety);
        Assert.Equal(ModerationVerdict.FallbackLlmFailed, verdict.Fallback);
        Assert.Equal(1, _meters.Sum("chatroom.moderation.judge.outcomes", ("outcome", "failed")));
        Assert.Equal(1, _meters.Sum("chatroom.llm.requests", ("purpose", SafetyJudge.Purpose), ("outcome", "malformed")));
    }

    [Fact]
    public async Task WithBothModels_TheJudgeDecidesSafetyAndTheAnalysisModelTheMood()
    {
        _guard.Responder = FakeSafetyModel.LlamaGuard(_ => ["S1"]);
        _analysis.Responder = _ => FakeLlmReply.Json(LlmModeratorTests.Verdicts((1, "happy", "safe", [])));

        var verdict = await Create(new ModerationOptions { Llm = LlmPolicy.Always }, withAnalysisModel: true).ClassifyAsync(Threat);

        Assert.Equal(1, _guard.ChatRequestCount);
        Assert.Equal(1, _analysis.ChatRequestCount);
        Assert.Equal("happy", verdict.Mood);
        Assert.Equal((SafetyLabels.Unsafe, "llama-guard3:1b"), (verdict.Safety, verdict.Model));
        Assert.Equal([SafetyCategories.Violence], verdict.Categories);
        Assert.Contains(_meters.Measurements, m => m.Instrument == "chatroom.moderation.escalation.latency" && m.Tags["tier"] == EscalationMetrics.AnalysisModelTier);
    }

    [Fact]
    public async Task NeverSendsNothingUp()
    {
        var verdict = await Create(new ModerationOptions { Llm = LlmPolicy.Never }).ClassifyAsync(Threat);

        Assert.Equal(SafetyLabels.EmbeddedTier, verdict.Tier);
        Assert.Equal(0, _guard.ChatRequestCount);
        Assert.Equal(0, _meters.Sum("chatroom.moderation.escalations"));
    }

    [Fact]
    public async Task TheAnalysisServiceWiresTheJudge_FromItsConnectionString_OrFromTheModelSetting()
    {
        _guard.Responder = FakeSafetyModel.LlamaGuard(SafetyJudgeTests.Hazards);
        using var folder = new TempDirectory();

        await using (var host = Host(folder.Path, ("ConnectionStrings:safety-model", $"Endpoint={_guard.Endpoint};Model=llama-guard3:8b")))
        {
            var verdict = await host.Services.GetRequiredService<ModerationCascade>().ClassifyAsync("go kill yourself");
            Assert.Equal(("llama-guard3:8b", SafetyLabels.Unsafe), (verdict.Model, verdict.Safety));
        }

        // Only the model's name: the analysis model's Ollama serves it.
        await using (var host = Host(folder.Path, ("ConnectionStrings:analysis-model", $"Endpoint={_guard.Endpoint};Model=qwen2.5:1.5b"), ("Chatroom:Moderation:Safety:Model", "llama-guard3:1b")))
        {
            Assert.Equal("llama-guard3:1b", host.Services.GetRequiredService<SafetyJudge>().Model);
        }

        await using (var host = Host(folder.Path, ("ConnectionStrings:safety-model", $"Endpoint={_guard.Endpoint};Model=llama-guard3:8b"), ("Chatroom:Moderation:Safety:Enabled", "false")))
        {
            Assert.Null(host.Services.GetService<SafetyJudge>());
            Assert.Equal(SafetyLabels.EmbeddedTier, (await host.Services.GetRequiredService<ModerationCascade>().ClassifyAsync("go kill yourself")).Tier);
        }
    }

    /// <summary>The analysis service's composition (not started): what <c>AddChatAnalysis</c> registers for this configuration.</summary>
    private static AsyncHost Host(string folder, params (string Key, string Value)[] settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(
            settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)).Append(KeyValuePair.Create("Chatroom:DataDirectory", (string?)folder)));
        builder.AddChatAnalysis();
        return new AsyncHost(builder.Build());
    }

    private sealed class AsyncHost(IHost host) : IAsyncDisposable
    {
        public IServiceProvider Services => host.Services;

        public ValueTask DisposeAsync() => ((IAsyncDisposable)host).DisposeAsync();
    }
}
