using Chatroom.Analysis.Models;
using Chatroom.Analysis.Moderation;
using Chatroom.Analysis.Moderation.Llm;
using Chatroom.Analysis.Tests.Models;
using Chatroom.Testing.FakeLlm;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Tests.Moderation;

/// <summary>The safety judge against protocol-faithful fakes answering in each safety model's own format.</summary>
public sealed class SafetyJudgeTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly TestMeterFactory _meters = new();
    private FakeOllamaServer _ollama = null!;
    private FakeOpenAiServer _openAi = null!;

    public async Task InitializeAsync()
    {
        _ollama = await FakeOllamaServer.StartAsync();
        _openAi = await FakeOpenAiServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _meters.Dispose();
        await _ollama.DisposeAsync();
        await _openAi.DisposeAsync();
    }

    /// <summary>Llama Guard as the fakes answer for the test messages below.</summary>
    internal static string[] Hazards(string text) =>
        text.Contains("hurt you", StringComparison.Ordinal) ? ["S1"]
        : text.Contains("vermin", StringComparison.Ordinal) ? ["S10"]
        : text.Contains("kill yourself", StringComparison.Ordinal) ? ["S11"]
        : text.Contains("your age", StringComparison.Ordinal) ? ["S4", "S3"]
        : text.Contains("vote", StringComparison.Ordinal) ? ["S13"]
        : [];

    internal static SafetyJudge CreateJudge(FakeLlmServer server, string model, TestMeterFactory meters, HttpClient http, Action<SafetyJudgeOptions>? configure = null, Action<LlmModeratorOptions>? resilience = null)
    {
        var options = new SafetyJudgeOptions();
        configure?.Invoke(options);
        var client = new LlmModeratorOptions { AttemptTimeout = TimeSpan.FromSeconds(10), TotalTimeout = TimeSpan.FromSeconds(30), MaxRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(10) };
        resilience?.Invoke(client);
        var connection = server is FakeOpenAiServer openAi
            ? $"Endpoint={openAi.ApiEndpoint};Model={model};Provider=openai;Key=k"
            : $"Endpoint={server.Endpoint};Model={model}";
        return new SafetyJudge(AnalysisModelClientFactory.Create(AnalysisModelConnection.Parse(connection), http), Options.Create(options),
            Options.Create(client), new LlmMetrics(meters), NullLogger<SafetyJudge>.Instance);
    }

    [Fact]
    public async Task LlamaGuard_IsAskedAboutTheMessageAlone_AndItsHazardCodesBecomeOurCategories()
    {
        _ollama.Responder = FakeSafetyModel.LlamaGuard(Hazards);
        var judge = CreateJudge(_ollama, "llama-guard3:1b", _meters, _http);

        var judgements = await judge.JudgeAsync(
            ["what a lovely morning", "I know where you live and I will hurt you", "those people are vermin", "go kill yourself", "what's your age? keep it secret", "who will you vote for"],
            CancellationToken.None);

        Assert.Equal(SafetyFormat.LlamaGuard3, judge.Format);
        Assert.False(judgements[0]!.IsUnsafe);
        Assert.Equal([SafetyCategories.Violence], judgements[1]!.Categories);
        Assert.Equal([SafetyCategories.Hate], judgements[2]!.Categories);
        Assert.Equal([SafetyCategories.SelfHarm], judgements[3]!.Categories);
        Assert.Equal([SafetyCategories.Sexual, SafetyCategories.Minors], judgements[4]!.Categories);
        // S13 (elections) is a hazard for an assistant, not for a chat room.
        Assert.False(judgements[5]!.IsUnsafe);
        Assert.All(judgements, j => Assert.Equal("llama-guard3:1b", j!.Model));

        var request = _ollama.Requests.Single(r => FakeSafetyModel.LastUserText(r) == "go kill yourself");
        var message = Assert.Single(request.GetProperty("messages").EnumerateArray());
        Assert.Equal("user", message.GetProperty("role").GetString());
        Assert.Equal("llama-guard3:1b", request.GetProperty("model").GetString());
        Assert.Equal(0, request.GetProperty("options").GetProperty("temperature").GetDouble());
        Assert.Equal(6 * 230, _meters.Sum("chatroom.llm.tokens", ("purpose", SafetyJudge.Purpose), ("kind", "prompt")));
    }

    [Theory]
    [InlineData("safe", false, new string[0])]
    [InlineData("unsafe\nS1", true, new[] { "violence" })]
    [InlineData("unsafe\nS2", true, new[] { "spam" })]
    [InlineData("unsafe\nS3", true, new[] { "sexual" })]
    [InlineData("unsafe\nS4", true, new[] { "minors" })]
    [InlineData("unsafe\nS5", true, new[] { "harassment" })]
    [InlineData("unsafe\nS6", false, new string[0])]
    [InlineData("unsafe\nS7", true, new[] { "harassment" })]
    [InlineData("unsafe\nS8", false, new string[0])]
    [InlineData("unsafe\nS9", true, new[] { "violence" })]
    [InlineData("unsafe\nS10", true, new[] { "hate" })]
    [InlineData("unsafe\nS11", true, new[] { "self-harm" })]
    [InlineData("unsafe\nS12", true, new[] { "sexual" })]
    [InlineData("unsafe\nS13", false, new string[0])]
    [InlineData("unsafe\nS14", false, new string[0])]
    [InlineData(" unsafe\nS10,S1 \n", true, new[] { "hate", "violence" })]
    public void EveryLlamaGuardHazardMapsToOurCategories(string answer, bool isUnsafe, string[] categories)
    {
        var format = new LlamaGuardFormat();
        var result = format.Parse(format.Questions("x")[0], answer, null);

        Assert.Equal(isUnsafe, result.UnsafeProbability >= 0.5);
        Assert.Equal(categories.Order(), result.Categories.Order());
    }

    [Theory]
    [InlineData("")]
    [InlineData("I can't help with that.")]
    [InlineData("unsafe")]
    [InlineData("unsafe\nS15")]
    [InlineData("unsafe\nviolence")]
    public void AnAnswerOutsideLlamaGuardsFormatIsRefused(string answer)
    {
        var format = new LlamaGuardFormat();

        Assert.Throws<InvalidDataException>(() => format.Parse(format.Questions("x")[0], answer, null));
    }

    [Fact]
    public async Task GraniteGuardian_IsAskedOncePerRisk_WithTheRiskAsItsSystemPrompt()
    {
        _ollama.Responder = FakeSafetyModel.GraniteGuardian((text, risk) => risk switch
        {
            "social_bias" => text.Contains("vermin", StringComparison.Ordinal),
            "harm" => text.Contains("vermin", StringComparison.Ordinal) || text.Contains("idiot", StringComparison.Ordinal),
            _ => false,
        });
        var judge = CreateJudge(_ollama, "granite3-guardian:2b", _meters, _http);

        var judgements = await judge.JudgeAsync(["nice game everyone", "those people are vermin", "you absolute idiot"], CancellationToken.None);

        Assert.Equal(SafetyFormat.GraniteGuardian, judge.Format);
        Assert.Equal(3 * 4, _ollama.ChatRequestCount);
        Assert.Equal(
            new[] { "harm", "social_bias", "violence", "sexual_content" }.Order(),
            _ollama.Requests.Where(r => FakeSafetyModel.LastUserText(r) == "nice game everyone")
                .Select(r => r.GetProperty("messages")[0].GetProperty("content").GetString()).Order());
        Assert.False(judgements[0]!.IsUnsafe);
        Assert.Equal([SafetyCategories.Harassment, SafetyCategories.Hate], judgements[1]!.Categories);
        Assert.Equal([SafetyCategories.Harassment], judgements[2]!.Categories);
        Assert.Equal(0.9, judgements[2]!.UnsafeScore, 3);
    }

    [Fact]
    public async Task ShieldGemma_ScoresFromTheFirstTokensLogProbability_WhenTheServerReturnsIt()
    {
        _openAi.Responder = FakeSafetyModel.ShieldGemma((text, policy) =>
            policy == "No Harassment" && text.Contains("idiot", StringComparison.Ordinal) ? 0.73
            : policy == "No Harassment" && text.Contains("clown", StringComparison.Ordinal) ? 0.4
            : 0.02);
        var judge = CreateJudge(_openAi, "shieldgemma:2b", _meters, _http);

        var judgements = await judge.JudgeAsync(["you absolute idiot", "you clown", "see you tomorrow"], CancellationToken.None);

        Assert.Equal(SafetyFormat.ShieldGemma, judge.Format);
        Assert.Equal(3 * 4, _openAi.ChatRequestCount);
        Assert.True(_openAi.Requests[0].GetProperty("logprobs").GetBoolean());
        Assert.Contains("Human Question: see you tomorrow", FakeSafetyModel.LastUserText(_openAi.Requests.First(r => FakeSafetyModel.LastUserText(r).Contains("tomorrow", StringComparison.Ordinal))), StringComparison.Ordinal);
        Assert.True(judgements[0]!.IsUnsafe);
        Assert.Equal([SafetyCategories.Harassment], judgements[0]!.Categories);
        Assert.Equal(0.73, judgements[0]!.UnsafeScore, 3);
        // "No" at p = 0.6: p(Yes) = 0.4 is under the threshold.
        Assert.False(judgements[1]!.IsUnsafe);
        Assert.Equal(0.4, judgements[1]!.UnsafeScore, 3);
        Assert.Equal(0.02, judgements[2]!.UnsafeScore, 3);
    }

    [Fact]
    public async Task ShieldGemma_WithoutLogProbabilities_TakesThePlainAnswer()
    {
        _ollama.Responder = FakeSafetyModel.ShieldGemma((text, policy) => policy == "No Hate Speech" && text.Contains("vermin", StringComparison.Ordinal) ? 0.97 : 0.01);
        var judge = CreateJudge(_ollama, "shieldgemma:9b", _meters, _http);

        var judgements = await judge.JudgeAsync(["those people are vermin", "hello"], CancellationToken.None);

        Assert.Equal([SafetyCategories.Hate], judgements[0]!.Categories);
        Assert.Equal(SafetyFormat.PlainAnswerProbability, judgements[0]!.UnsafeScore, 3);
        Assert.Equal(1 - SafetyFormat.PlainAnswerProbability, judgements[1]!.UnsafeScore, 3);
    }

    [Fact]
    public async Task AMalformedAnswer_IsACountedFailure_NotRetried()
    {
        _ollama.DefaultReply = FakeLlmReply.Text("I'm sorry, I can't classify that.");
        var judge = CreateJudge(_ollama, "llama-guard3:1b", _meters, _http);

        var judgements = await judge.JudgeAsync(["hello"], CancellationToken.None);

        Assert.Null(judgements[0]);
        Assert.Equal(1, _ollama.ChatRequestCount);
        Assert.Equal(1, _meters.Sum("chatroom.llm.requests", ("purpose", SafetyJudge.Purpose), ("outcome", "malformed")));
    }

    [Fact]
    public async Task AHungOrFailingModel_GivesNoJudgement_WithinTheTimeouts()
    {
        _ollama.DefaultReply = FakeLlmReply.Hang();
        var judge = CreateJudge(_ollama, "llama-guard3:1b", _meters, _http, resilience: o => (o.AttemptTimeout, o.MaxRetries) = (TimeSpan.FromMilliseconds(300), 0));

        Assert.Null((await judge.JudgeAsync(["hello"], CancellationToken.None))[0]);
        Assert.Equal(1, _meters.Sum("chatroom.llm.requests", ("purpose", SafetyJudge.Purpose), ("outcome", "timeout")));

        _ollama.DefaultReply = FakeLlmReply.ErrorIn200();
        Assert.Null((await judge.JudgeAsync(["hello"], CancellationToken.None))[0]);
        Assert.Equal(1, _meters.Sum("chatroom.llm.requests", ("purpose", SafetyJudge.Purpose), ("outcome", "error")));
    }

    [Fact]
    public async Task OneFailedRiskOfSeveral_LeavesTheMessageUnjudged()
    {
        _ollama.Responder = body => body.GetProperty("messages")[0].GetProperty("content").GetString() == "violence"
            ? FakeLlmReply.Status(400, "bad request")
            : FakeLlmReply.Text("No");
        var judge = CreateJudge(_ollama, "granite3-guardian:8b", _meters, _http);

        Assert.Null((await judge.JudgeAsync(["hello"], CancellationToken.None))[0]);
    }

    [Theory]
    [InlineData("llama-guard3:1b", "llamaguard3")]
    [InlineData("llama-guard3:8b-q4_K_M", "llamaguard3")]
    [InlineData("granite3-guardian:2b", "granite-guardian")]
    [InlineData("ibm/granite3.1-guardian:8b", "granite-guardian")]
    [InlineData("shieldgemma:27b", "shieldgemma")]
    [InlineData("qwen2.5:1.5b", null)]
    public void TheFormatIsToldByTheModelsName(string model, string? format) => Assert.Equal(format, SafetyFormat.Infer(model));

    [Fact]
    public void AModelOfUnknownFormatNeedsTheFormatSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SafetyFormat.For(null, "my-guard:1b", new SafetyJudgeOptions()));

        Assert.Contains("Chatroom:Moderation:Safety:Format", error.Message, StringComparison.Ordinal);
        Assert.Equal(SafetyFormat.ShieldGemma, SafetyFormat.For("shieldgemma", "my-guard:1b", new SafetyJudgeOptions()).Name);
    }
}
