using System.Text.Json;
using Chatroom.Analysis.Models;
using Chatroom.Analysis.Moderation;
using Chatroom.Analysis.Moderation.Llm;
using Chatroom.Analysis.Tests.Models;
using Chatroom.Testing.FakeLlm;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Tests.Moderation;

public sealed class LlmModeratorTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly TestMeterFactory _meters = new();
    private const string Model = "qwen2.5:0.5b";
    private FakeOllamaServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOllamaServer.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _meters.Dispose();
        await _server.DisposeAsync();
    }

    internal static object Verdicts(params (int Id, string Mood, string Safety, string[] Categories)[] items) => new
    {
        verdicts = items.Select(i => new
        {
            id = i.Id,
            mood = i.Mood,
            moodScore = i.Mood == "happy" ? 0.7 : i.Mood == "sad" ? -0.7 : 0,
            safety = i.Safety,
            unsafeScore = i.Safety == "unsafe" ? 0.92 : 0.04,
            categories = i.Categories,
        }).ToArray(),
    };

    private LlmModerator CreateModerator(Action<LlmModeratorOptions>? configure = null)
    {
        var options = new LlmModeratorOptions
        {
            AttemptTimeout = TimeSpan.FromSeconds(5),
            TotalTimeout = TimeSpan.FromSeconds(20),
            MaxRetries = 1,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            BreakerMinimumThroughput = 2,
            BreakerFailureRatio = 0.5,
            BreakDuration = TimeSpan.FromSeconds(30),
        };
        configure?.Invoke(options);
        var client = AnalysisModelClientFactory.Create(AnalysisModelConnection.Parse($"Endpoint={_server.Endpoint};Model=qwen2.5:0.5b"), _http);
        return new LlmModerator(client, Options.Create(options), new LlmMetrics(_meters), NullLogger<LlmModerator>.Instance);
    }

    [Fact]
    public async Task ClassifiesSeveralMessagesInOneRequest_WithContextAndSchema()
    {
        _server.Enqueue(FakeLlmReply.Json(Verdicts((1, "happy", "safe", []), (2, "sad", "unsafe", ["harassment"]))));
        var moderator = CreateModerator();

        var verdicts = await moderator.ClassifyAsync(["nice one", "you clown"], ["earlier message"], CancellationToken.None);

        Assert.Equal(SafetyLabels.Safe, verdicts[0]!.Safety);
        Assert.Equal(SafetyLabels.Unsafe, verdicts[1]!.Safety);
        Assert.Equal(["harassment"], verdicts[1]!.Categories);
        Assert.All(verdicts, v => Assert.Equal(SafetyLabels.LlmTier, v!.Tier));
        Assert.Equal("qwen2.5:0.5b", verdicts[0]!.Model);

        var request = Assert.Single(_server.Requests);
        var prompt = request.GetProperty("messages")[1].GetProperty("content").GetString()!;
        Assert.Contains("earlier message", prompt, StringComparison.Ordinal);
        Assert.Contains("1. \"nice one\"", prompt, StringComparison.Ordinal);
        Assert.Contains("2. \"you clown\"", prompt, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, request.GetProperty("format").ValueKind);
    }

    [Fact]
    public async Task SplitsLargeInputsIntoBatches()
    {
        _server.Responder = _ => FakeLlmReply.Json(Verdicts((1, "neutral", "safe", []), (2, "neutral", "safe", [])));
        var moderator = CreateModerator(o => o.BatchSize = 2);

        var verdicts = await moderator.ClassifyAsync(["a", "b", "c", "d"], [], CancellationToken.None);

        Assert.Equal(2, _server.ChatRequestCount);
        Assert.All(verdicts, v => Assert.NotNull(v));
    }

    [Fact]
    public async Task RecordsTokensRequestsAndLatency()
    {
        _server.Enqueue(FakeLlmReply.Text(JsonSerializer.Serialize(Verdicts((1, "happy", "safe", []))), promptTokens: 120, completionTokens: 30));
        var moderator = CreateModerator();

        await moderator.ClassifyAsync(["hello"], [], CancellationToken.None);

        Assert.Equal(120, _meters.Sum("chatroom.llm.tokens", ("kind", "prompt"), ("model", Model)));
        Assert.Equal(30, _meters.Sum("chatroom.llm.tokens", ("kind", "completion"), ("model", Model)));
        Assert.Contains(_meters.Measurements, m => m.Instrument == "chatroom.llm.tokens" && m.Tags["model"] == "qwen2.5:0.5b" && m.Tags["purpose"] == LlmModerator.Purpose);
        Assert.Equal(1, _meters.Sum("chatroom.llm.requests", ("outcome", "success"), ("model", Model)));
        Assert.Contains(_meters.Measurements, m => m.Instrument == "chatroom.llm.latency");
    }

    [Fact]
    public async Task RetriesAServerError()
    {
        _server.Enqueue(FakeLlmReply.Status(500), FakeLlmReply.Json(Verdicts((1, "neutral", "safe", []))));
        var moderator = CreateModerator();

        var verdicts = await moderator.ClassifyAsync(["hello"], [], CancellationToken.None);

        Assert.NotNull(verdicts[0]);
        Assert.Equal(2, _server.ChatRequestCount);
    }

    [Fact]
    public async Task GivesUpOnAHungModel_WithinTheTimeouts()
    {
        _server.DefaultReply = FakeLlmReply.Hang();
        var moderator = CreateModerator(o => o.AttemptTimeout = TimeSpan.FromMilliseconds(300));
        var started = System.Diagnostics.Stopwatch.StartNew();

        var verdicts = await moderator.ClassifyAsync(["hello"], [], CancellationToken.None);

        Assert.Null(verdicts[0]);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(4), $"took {started.Elapsed}");
        Assert.Equal(1, _meters.Sum("chatroom.llm.requests", ("outcome", "timeout"), ("model", Model)));
    }

    [Fact]
    public async Task MalformedOrSlowAnswers_FallBack()
    {
        _server.DefaultReply = FakeLlmReply.Malformed();
        var moderator = CreateModerator(o => o.AttemptTimeout = TimeSpan.FromMilliseconds(500));

        Assert.Null((await moderator.ClassifyAsync(["x"], [], CancellationToken.None))[0]);

        _server.DefaultReply = FakeLlmReply.Json(Verdicts((1, "happy", "safe", []))).After(TimeSpan.FromSeconds(2));
        Assert.Null((await moderator.ClassifyAsync(["x"], [], CancellationToken.None))[0]);
    }

    [Fact]
    public async Task AnErrorObjectInsideA200Answer_IsRetriedThenFallsBack()
    {
        // Ollama answers 200 and then {"error": …} when the model fails while generating; OllamaSharp throws its ResponseError.
        _server.DefaultReply = FakeLlmReply.ErrorIn200();
        var moderator = CreateModerator(o => o.BreakerMinimumThroughput = 100);

        Assert.Null((await moderator.ClassifyAsync(["x"], [], CancellationToken.None))[0]);
        Assert.Equal(2, _server.ChatRequestCount);
        Assert.Equal(1, _meters.Sum("chatroom.llm.requests", ("outcome", "error"), ("model", Model)));

        _server.Enqueue(FakeLlmReply.ErrorIn200(), FakeLlmReply.Json(Verdicts((1, "happy", "safe", []))));
        Assert.NotNull((await moderator.ClassifyAsync(["x"], [], CancellationToken.None))[0]);
    }

    [Fact]
    public async Task InvalidVerdictFields_AreDropped()
    {
        _server.Enqueue(FakeLlmReply.Json(new { verdicts = new object[] { new { id = 1, mood = "furious", safety = "safe" }, new { id = 2, mood = "sad", safety = "unsafe", unsafeScore = 3.0, categories = new[] { "violence", "bogus" } } } }));
        var moderator = CreateModerator();

        var verdicts = await moderator.ClassifyAsync(["a", "b"], [], CancellationToken.None);

        Assert.Null(verdicts[0]);
        Assert.Equal(1.0, verdicts[1]!.UnsafeScore);
        Assert.Equal(["violence"], verdicts[1]!.Categories);
    }

    [Fact]
    public async Task CircuitBreaker_StopsCallingAFailingModel()
    {
        _server.DefaultReply = FakeLlmReply.Status(503);
        var moderator = CreateModerator(o => o.MaxRetries = 0);

        for (var i = 0; i < 6; i++)
        {
            Assert.Null((await moderator.ClassifyAsync(["x"], [], CancellationToken.None))[0]);
        }

        Assert.True(_server.ChatRequestCount < 6, $"{_server.ChatRequestCount} requests reached the model");
        Assert.True(_meters.Sum("chatroom.llm.requests", ("outcome", "circuit_open"), ("model", Model)) >= 1);
    }

    [Fact]
    public async Task CallerCancellation_Propagates()
    {
        _server.DefaultReply = FakeLlmReply.Hang();
        var moderator = CreateModerator(o => o.AttemptTimeout = TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => moderator.ClassifyAsync(["x"], [], cts.Token));
    }
}
