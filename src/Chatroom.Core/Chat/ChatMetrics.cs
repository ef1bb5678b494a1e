using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Chatroom.Core.Chat;

/// <summary>The chat path's instruments on the <c>Chatroom</c> meter (exported as <c>chatroom_*</c>).</summary>
public sealed class ChatMetrics : IDisposable
{
    public const string MeterName = "Chatroom";
    public const string ActivitySourceName = "Chatroom";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    /// <summary>Bucket bounds for durations in seconds, from half a millisecond to a minute.</summary>
    public static readonly InstrumentAdvice<double> SecondsBuckets = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    };

    private readonly Meter _meter;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _refusals;
    private readonly UpDownCounter<long> _connections;
    private readonly UpDownCounter<long> _activeRooms;
    private readonly Histogram<double> _appendDuration;
    private readonly Histogram<double> _deliveryLatency;
    private readonly Counter<long> _loopsDropped;

    public ChatMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _messages = _meter.CreateCounter<long>("chatroom.messages", "{message}", "Messages stored, by kind.");
        _refusals = _meter.CreateCounter<long>("chatroom.refusals", "{refusal}", "Requests refused, by stable error code.");
        _connections = _meter.CreateUpDownCounter<long>("chatroom.connections", "{connection}", "Open hub connections on this node.");
        _activeRooms = _meter.CreateUpDownCounter<long>("chatroom.rooms.active", "{room}", "Rooms with at least one member connected to this node.");
        _appendDuration = _meter.CreateHistogram<double>("chatroom.message.append.duration", "s", "Time to store a message durably before the sender is acknowledged.", advice: SecondsBuckets);
        _deliveryLatency = _meter.CreateHistogram<double>("chatroom.delivery.latency", "s", "From a message being stored to its fan-out on this node.", advice: SecondsBuckets);
        _loopsDropped = _meter.CreateCounter<long>("chatroom.integration.loops.dropped", "{message}",
            "Posts by programs dropped because their chain of automated answers passed Chatroom:Integrations:MaxHops, by author kind.");
    }

    public Meter Meter => _meter;

    public void MessageStored(string kind) => _messages.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Refused(string code) => _refusals.Add(1, new KeyValuePair<string, object?>("code", code));

    public void ConnectionOpened() => _connections.Add(1);

    public void ConnectionClosed() => _connections.Add(-1);

    public void RoomActivated() => _activeRooms.Add(1);

    public void RoomDeactivated() => _activeRooms.Add(-1);

    public void AppendDuration(TimeSpan elapsed) => _appendDuration.Record(elapsed.TotalSeconds);

    public void DeliveryLatency(TimeSpan elapsed) => _deliveryLatency.Record(Math.Max(0, elapsed.TotalSeconds));

    public void LoopDropped(string kind) => _loopsDropped.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Dispose() => _meter.Dispose();
}
