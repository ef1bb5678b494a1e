using System.Collections.Concurrent;
using System.Diagnostics;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Redis;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Xunit.Abstractions;

namespace Chatroom.EndToEnd.Tests;

/// <summary>
/// What the Aspire dashboard's traces page shows (issue 25): on Redis, with traces exported (the
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> switch, pointed at a port nobody listens on), an idle system makes no traces,
/// and one sent message is one trace from the hub through the store and the queue to its verdict. The spans are the
/// ones the exporter would send, taken by a processor beside it. Serial: a tracer provider sees every host's spans.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class TraceShapeTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The Redis instrumentation turns commands into spans on a background flush every 10 s; idle longer than that.</summary>
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(12);

    private readonly TempDirectory _data = new();
    private readonly SpanCollector _spans = new();
    private RedisServer _redis = null!;
    private StandaloneHost _host = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = _redis.ConnectionString,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{FreePort.Next()}",
        }, configure: builder => builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(_spans)));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _redis.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task AnIdleSystemMakesNoTracesAndAMessageIsOneTraceAcrossTheQueue()
    {
        // Idle: the analysis and agent workers poll their queues (XAUTOCLAIM, XREADGROUP) and presence beats all along.
        _spans.Clear();
        await Task.Delay(IdleWindow);
        var idle = _spans.Ended.ToList();
        Assert.True(idle.Count == 0, $"an idle system recorded {idle.Count} spans: {Describe(idle)}");

        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        _spans.Clear();
        await ana.InvokeAsync("SendMessage", "lobby", "hello, is this traced?", "trace-1");

        // The verdict is made on the far side of the queue; its span joins the sender's trace through the entry's
        // trace context. Redis spans arrive with the instrumentation's next flush after the classification ends.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        Activity? post = null;
        Activity? classify = null;
        while (classify is null || !_spans.Ended.Any(s => s.ParentSpanId == classify.SpanId && IsRedis(s)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no classification with its Redis commands in the trace; spans: {Describe(_spans.Ended.ToList())}");
            await Task.Delay(200);
            post ??= _spans.Ended.FirstOrDefault(s => s.OperationName == "chat.post");
            classify = post is null ? null : _spans.Ended.FirstOrDefault(s => s.OperationName == "analysis.classify" && s.TraceId == post.TraceId);
        }

        var trace = _spans.Ended.Where(s => s.TraceId == post!.TraceId).ToList();
        output.WriteLine($"{trace.Count} spans in the message's trace: {Describe(trace)}");
        Assert.Equal(post!.TraceId, classify.TraceId);
        Assert.Equal(ActivityKind.Consumer, classify.Kind);
        Assert.Contains(trace, s => IsRedis(s) && s.ParentSpanId == post.SpanId);

        // One root (the hub invocation, or the post when the hub is not traced), everything else below it.
        var root = Assert.Single(trace, s => s.ParentSpanId == default || trace.All(p => p.SpanId != s.ParentSpanId));
        Assert.Contains("SendMessage", root.DisplayName + " " + root.OperationName, StringComparison.Ordinal);

        // Bounded: a Redis command per step of the path, not dozens of repeats of one.
        Assert.True(trace.Count <= 40, $"{trace.Count} spans in one message's trace");
        var repeated = trace.Where(IsRedis).GroupBy(s => s.DisplayName).Where(g => g.Count() > 8).Select(g => $"{g.Key}×{g.Count()}").ToList();
        Assert.True(repeated.Count == 0, $"repeated Redis commands in one message's trace: {string.Join(", ", repeated)}");

        // Still idle afterwards: the workers' polling after the message makes no traces of its own.
        Assert.DoesNotContain(_spans.Ended, s => s.ParentSpanId == default && IsRedis(s));
    }

    private static bool IsRedis(Activity span) => span.GetTagItem("db.system") is "redis" || span.GetTagItem("db.system.name") is "redis";

    private static string Describe(IEnumerable<Activity> spans) =>
        string.Join(", ", spans.Select(s => $"{s.Source.Name}:{s.DisplayName}{(s.ParentSpanId == default ? " (root)" : string.Empty)}"));

    /// <summary>The spans the exporter would be given (recorded ones), as they end.</summary>
    private sealed class SpanCollector : BaseProcessor<Activity>
    {
        private ConcurrentQueue<Activity> _ended = new();

        public IReadOnlyCollection<Activity> Ended => _ended;

        public void Clear() => _ended = new();

        public override void OnEnd(Activity data)
        {
            if (data.Recorded)
            {
                _ended.Enqueue(data);
            }
        }
    }
}
