using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Chatroom.Core.Chat;
using Chatroom.ServiceDefaults.Telemetry;
using Chatroom.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Chatroom.ServiceDefaults.Tests;

/// <summary>
/// <c>/metrics</c> from the OpenTelemetry Prometheus exporter: spec names and types (counters end in <c>_total</c>,
/// durations are <c>_seconds</c> histograms with buckets in seconds), the GenAI meter, and text promtool accepts.
/// </summary>
public sealed partial class MetricsEndpointTests
{
    [Fact]
    public async Task ChatInstrumentsAreExportedWithPrometheusNamesAndTypes()
    {
        await using var host = await ServiceDefaultsHost.StartAsync();
        var metrics = host.Services.GetRequiredService<ChatMetrics>();
        metrics.MessageStored("metrics-test");
        metrics.MessageStored("metrics-test");
        metrics.Refused("metrics_test");
        metrics.ConnectionOpened();
        metrics.DeliveryLatency(TimeSpan.FromMilliseconds(3));
        metrics.AppendDuration(TimeSpan.FromSeconds(7));

        var text = await host.Http.GetStringAsync("/metrics");

        Assert.Contains("# TYPE chatroom_messages_total counter\n", text);
        Assert.Matches(Sample("chatroom_messages_total", "kind=\"metrics-test\"", "2"), text);
        Assert.Contains("# TYPE chatroom_refusals_total counter\n", text);
        Assert.Matches(Sample("chatroom_refusals_total", "code=\"metrics_test\"", "1"), text);
        Assert.Contains("# TYPE chatroom_connections gauge\n", text);
        Assert.Contains("# TYPE chatroom_delivery_latency_seconds histogram\n", text);
        Assert.Contains("# TYPE chatroom_message_append_duration_seconds histogram\n", text);

        // The buckets of ChatMetrics.SecondsBuckets: half a millisecond to a minute, then +Inf.
        var bounds = BucketBounds().Matches(text).Where(m => m.Groups["name"].Value == "chatroom_delivery_latency_seconds")
            .Select(m => m.Groups["le"].Value).ToList();
        Assert.Equal(["0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "30", "60", "+Inf"], bounds);
        Assert.Matches(Sample("chatroom_delivery_latency_seconds_bucket", "le=\"0.005\"", "1"), text);
        Assert.Matches(Sample("chatroom_message_append_duration_seconds_bucket", "le=\"5\"", "0"), text);
        Assert.Matches(Sample("chatroom_message_append_duration_seconds_bucket", "le=\"10\"", "1"), text);
        Assert.Matches(Sample("chatroom_message_append_duration_seconds_sum", string.Empty, "7"), text);

        var (exitCode, output) = await Promtool.CheckMetricsAsync(text);
        Assert.True(exitCode == 0, $"promtool check metrics failed ({exitCode}):\n{output}");
    }

    [Fact]
    public async Task FrameworkMetersAreExported()
    {
        await using var host = await ServiceDefaultsHost.StartAsync();
        await host.Http.GetStringAsync("/alive");

        var text = await host.Http.GetStringAsync("/metrics");

        Assert.Contains("# TYPE http_server_request_duration_seconds histogram\n", text);
        Assert.Contains("# TYPE kestrel_active_connections gauge\n", text);
        Assert.Contains("# TYPE dotnet_gc_collections_total counter\n", text);
        Assert.Contains("# TYPE dotnet_process_memory_working_set_bytes gauge\n", text);
        Assert.Contains("# TYPE process_cpu_time_seconds_total counter\n", text);
        Assert.Contains("# TYPE process_threads gauge\n", text);
        Assert.DoesNotContain("process_thread_count", text);
        var (exitCode, output) = await Promtool.CheckMetricsAsync(text);
        Assert.True(exitCode == 0, $"promtool check metrics failed ({exitCode}):\n{output}");
    }

    [Fact]
    public async Task GenAiMetricsFromMicrosoftExtensionsAiAreExported()
    {
        await using var host = await ServiceDefaultsHost.StartAsync();

        // The instruments Microsoft.Extensions.AI's OpenTelemetryChatClient records, by name, unit and tags.
        using var meter = new Meter(ChatTelemetryExtensions.GenAiTelemetryName);
        meter.CreateHistogram<long>("gen_ai.client.token.usage", "{token}", "Measures number of input and output tokens used.")
            .Record(80, new("gen_ai.token.type", "input"), new("gen_ai.request.model", "fake-model"));
        meter.CreateHistogram<double>("gen_ai.client.operation.duration", "s", "GenAI operation duration.")
            .Record(0.4, new KeyValuePair<string, object?>("gen_ai.request.model", "fake-model"));

        var text = await host.Http.GetStringAsync("/metrics");

        Assert.Contains("# TYPE gen_ai_client_token_usage histogram\n", text);
        Assert.Contains("# TYPE gen_ai_client_operation_duration_seconds histogram\n", text);
        Assert.Matches(Sample("gen_ai_client_token_usage_sum", "gen_ai_token_type=\"input\"", "80"), text);
    }

    /// <summary>A sample line of <paramref name="name"/> carrying <paramref name="label"/> (among others) with <paramref name="value"/>.</summary>
    private static Regex Sample(string name, string label, string value) =>
        new($"(?m)^{Regex.Escape(name)}\\{{[^}}\\n]*{Regex.Escape(label)}[^}}\\n]*\\}} {Regex.Escape(value)}( \\d+)?$");

    [GeneratedRegex("(?m)^(?<name>[a-z_]+)_bucket\\{[^}\\n]*le=\"(?<le>[^\"]+)\"\\}")]
    private static partial Regex BucketBounds();
}
