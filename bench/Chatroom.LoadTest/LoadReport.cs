using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatroom.LoadTest;

/// <summary>
/// The outcome of one run, written as JSON (the same shape bench/peer/loadtest.js writes, so bench/compare.sh
/// tabulates both) and as a markdown table.
/// </summary>
public sealed record LoadReport(
    string Tool,
    string Label,
    IReadOnlyList<string> Urls,
    DateTimeOffset StartedAt,
    WorkloadReport Workload,
    ConnectionReport Connections,
    long Sent,
    long Acked,
    IReadOnlyDictionary<string, long> Refused,
    IReadOnlyDictionary<string, long> Errors,
    long Skipped,
    double SendSeconds,
    LatencySummary AckMs,
    LatencySummary DeliverMs,
    long Delivered,
    long ExpectedDeliveries,
    long Missing,
    double DeliveredPerSecond,
    MemoryReport? ServerRss,
    CpuReport? ServerCpu,
    CrossNodeReport? CrossNode = null)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        string Counts(IReadOnlyDictionary<string, long> counts) =>
            counts.Count == 0 ? "0" : string.Join(", ", counts.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value}"));
        string Latency(LatencySummary l) => string.Create(c, $"{l.P50:F2} / {l.P90:F2} / {l.P99:F2} / {l.Max:F2} ms (n={l.Count})");

        var text = new StringBuilder();
        text.AppendLine(c, $"| {Label} | |");
        text.AppendLine("|---|---|");
        text.AppendLine(c, $"| workload | {Workload.Connections} connections, {Workload.Rooms} rooms, {Workload.RatePerRoom} msg/s per room, {Workload.MessageBytes} B, {SendSeconds:F1} s |");
        text.AppendLine(c, $"| targets | {string.Join(", ", Urls)} |");
        text.AppendLine(c, $"| connections | {Connections.Connected} of {Connections.Attempted} (failures: {Counts(Connections.Failures)}; dropped during the run: {Connections.Dropped}) |");
        text.AppendLine(c, $"| sent / acked | {Sent} / {Acked} (skipped, client backlog: {Skipped}) |");
        text.AppendLine(c, $"| refused by code | {Counts(Refused)} |");
        text.AppendLine(c, $"| errors | {Counts(Errors)} |");
        text.AppendLine(c, $"| send→ack p50 / p90 / p99 / max | {Latency(AckMs)} |");
        text.AppendLine(c, $"| send→deliver p50 / p90 / p99 / max | {Latency(DeliverMs)} |");
        text.AppendLine(c, $"| delivered | {Delivered} of {ExpectedDeliveries} expected (missing {Missing}); {DeliveredPerSecond:F0}/s while sending |");
        if (CrossNode is { } cross)
        {
            text.AppendLine(c, $"| cross-node send→deliver p50 / p90 / p99 / max | {Latency(cross.DeliverMs)}; {cross.Delivered} of {Delivered} deliveries crossed between {cross.Nodes} nodes |");
        }

        if (ServerRss is { } rss)
        {
            text.AppendLine(c, $"| server RSS | {rss.BaselineBytes / 1048576.0:F1} MiB idle, {rss.ConnectedBytes / 1048576.0:F1} MiB connected, {rss.PeakBytes / 1048576.0:F1} MiB peak; {rss.PerConnectionBytes / 1024.0:F1} KiB per connection |");
        }

        if (ServerCpu is { } cpu)
        {
            text.AppendLine(c, $"| server CPU | {cpu.Seconds:F2} s from the first send to the end of the drain; {cpu.MicrosecondsPerDelivery:F1} µs per delivery |");
        }

        return text.ToString();
    }
}

public sealed record WorkloadReport(int Connections, int Rooms, double RatePerRoom, int MessageBytes, double DurationSeconds, long? Count);

public sealed record ConnectionReport(int Attempted, int Connected, IReadOnlyDictionary<string, long> Failures, long Dropped);

/// <summary>Server RSS before connecting, once everyone has joined, at its peak; per connection = (connected − idle) / connected.</summary>
public sealed record MemoryReport(IReadOnlyList<int> Pids, long BaselineBytes, long ConnectedBytes, long PeakBytes, double PerConnectionBytes);

/// <summary>Server CPU time (user + system, every process) from the first send to the end of the drain, and per delivered message.</summary>
public sealed record CpuReport(double Seconds, double MicrosecondsPerDelivery);

/// <summary>Deliveries whose sender was connected to another node than the receiver (several URLs only).</summary>
public sealed record CrossNodeReport(int Nodes, long Delivered, LatencySummary DeliverMs);
