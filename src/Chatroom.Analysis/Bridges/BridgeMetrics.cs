using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Chatroom.Core.Chat;

namespace Chatroom.Analysis.Bridges;

/// <summary>
/// Bridge instruments on the <c>Chatroom</c> meter, labelled by bridge (configured names: a handful) and by direction or
/// drop reason (fixed lists).
/// </summary>
public sealed class BridgeMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _connects;
    private readonly ConcurrentDictionary<string, int> _connected = new(StringComparer.Ordinal);

    public BridgeMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(ChatMetrics.MeterName);
        _messages = _meter.CreateCounter<long>("chatroom.bridge.messages", "{message}",
            "Messages carried by a bridge, by direction: in (posted from the peer), out (sent to the peer).");
        _dropped = _meter.CreateCounter<long>("chatroom.bridge.dropped", "{frame}",
            "Frames from a bridge's peer that were dropped, by reason: flood, too_large, invalid, unmapped, refused.");
        _connects = _meter.CreateCounter<long>("chatroom.bridge.connects", "{connection}",
            "Connection attempts to a bridge's peer, by outcome: connected, failed.");
        _meter.CreateObservableGauge("chatroom.bridge.connected",
            () => _connected.Select(c => new Measurement<int>(c.Value, new KeyValuePair<string, object?>("bridge", c.Key))),
            "{connection}", "1 while this node holds the bridge and is connected to its peer, else 0.");
    }

    public void Carried(string bridge, string direction) =>
        _messages.Add(1, new KeyValuePair<string, object?>("bridge", bridge), new KeyValuePair<string, object?>("direction", direction));

    public void Dropped(string bridge, string reason) =>
        _dropped.Add(1, new KeyValuePair<string, object?>("bridge", bridge), new KeyValuePair<string, object?>("reason", reason));

    public void Connecting(string bridge, bool connected) =>
        _connects.Add(1, new KeyValuePair<string, object?>("bridge", bridge), new KeyValuePair<string, object?>("outcome", connected ? "connected" : "failed"));

    public void SetConnected(string bridge, bool connected) => _connected[bridge] = connected ? 1 : 0;

    public void Dispose() => _meter.Dispose();
}

/// <summary>Why a frame from a peer was dropped: the values of the <c>reason</c> label.</summary>
public static class BridgeDropReasons
{
    /// <summary>Beyond the bridge's <c>MaxMessagesPerSecond</c>.</summary>
    public const string Flood = "flood";

    /// <summary>Larger than the bridge's <c>MaxMessageBytes</c>.</summary>
    public const string TooLarge = "too_large";

    /// <summary>Not JSON, not a text frame, or a message without a channel, sender or valid id.</summary>
    public const string Invalid = "invalid";

    /// <summary>A channel no room is mapped to.</summary>
    public const string Unmapped = "unmapped";

    /// <summary>The send path refused it (rate limit, slow mode, ban, mute, lock, text limits) or could not store it.</summary>
    public const string Refused = "refused";
}
