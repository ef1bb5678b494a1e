using System.Diagnostics.Metrics;
using Chatroom.ServiceDefaults.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Chatroom.ServiceDefaults.Tests;

public sealed class PrometheusTextExporterTests
{
    [Fact]
    public void RendersCountersGaugesAndHistogramsInPrometheusText()
    {
        var meterName = "Test." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(meterName);
        using var exporter = new PrometheusTextExporter();
        var reader = new BaseExportingMetricReader(exporter);
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter(meterName).AddReader(reader).Build();

        meter.CreateCounter<long>("chatroom.test.sent", "{message}", "Messages sent.").Add(3, new KeyValuePair<string, object?>("room.kind", "pu\"b\\lic"));
        meter.CreateUpDownCounter<long>("chatroom.test.open", "{connection}").Add(2);
        var histogram = meter.CreateHistogram<double>("chatroom.test.latency", "s", "Latency.", advice: Core.Chat.ChatMetrics.SecondsBuckets);
        histogram.Record(0.003);
        histogram.Record(7);

        var text = exporter.Scrape();

        Assert.Contains("# HELP chatroom_test_sent_total Messages sent.\n# TYPE chatroom_test_sent_total counter\n", text);
        Assert.Contains("chatroom_test_sent_total{room_kind=\"pu\\\"b\\\\lic\"} 3\n", text);
        Assert.Contains("# TYPE chatroom_test_open gauge\nchatroom_test_open 2\n", text);
        Assert.Contains("# TYPE chatroom_test_latency_seconds histogram\n", text);
        Assert.Contains("chatroom_test_latency_seconds_bucket{le=\"0.005\"} 1\n", text);
        Assert.Contains("chatroom_test_latency_seconds_bucket{le=\"+Inf\"} 2\n", text);
        Assert.Contains("chatroom_test_latency_seconds_sum 7.003\n", text);
        Assert.Contains("chatroom_test_latency_seconds_count 2\n", text);
    }

    [Theory]
    [InlineData("http.server.request.duration", "s", "http_server_request_duration_seconds")]
    [InlineData("dotnet.gc.heap.total_allocated", "By", "dotnet_gc_heap_total_allocated_bytes")]
    [InlineData("kestrel.active_connections", "{connection}", "kestrel_active_connections")]
    [InlineData("chatroom.queue.lag", "s", "chatroom_queue_lag_seconds")]
    [InlineData("9lives", null, "_9lives")]
    public void NamesFollowTheOpenTelemetryToPrometheusRules(string name, string? unit, string expected) =>
        Assert.Equal(expected, PrometheusNames.MetricName(name, unit));

    [Theory]
    [InlineData("dotnet_assembly_count", "dotnet_assembly_count_value")]
    [InlineData("chatroom_connections", "chatroom_connections")]
    public void GaugesNeverEndInAHistogramSuffix(string name, string expected) =>
        Assert.Equal(expected, PrometheusNames.AvoidReservedSuffix(name));
}
