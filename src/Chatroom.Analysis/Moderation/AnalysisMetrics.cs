using System.Diagnostics.Metrics;
using Chatroom.Core.Chat;

namespace Chatroom.Analysis.Moderation;

/// <summary>
/// Moderation instruments on the <c>Chatroom</c> meter: verdicts, tiers, lag and backlog. Room labels are bounded by
/// <c>Chatroom:Chat:MaxRooms</c> and kept off the tier/mood/safety product: mood and safety per room is a counter of its own.
/// </summary>
public sealed class AnalysisMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _verdicts;
    private readonly Counter<long> _roomVerdicts;
    private readonly Counter<long> _unsafe;
    private readonly Counter<long> _actions;
    private readonly Histogram<double> _lag;
    private long _backlog;

    public AnalysisMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(ChatMetrics.MeterName);
        _verdicts = _meter.CreateCounter<long>("chatroom.analysis.verdicts", "{verdict}", "Moderation verdicts, by mood, safety and the tier that decided.");
        _roomVerdicts = _meter.CreateCounter<long>("chatroom.analysis.room.verdicts", "{verdict}", "Moderation verdicts, by room, mood and safety.");
        _unsafe = _meter.CreateCounter<long>("chatroom.analysis.unsafe", "{verdict}", "Unsafe verdicts, by room and category.");
        _actions = _meter.CreateCounter<long>("chatroom.analysis.actions", "{action}", "Moderation actions taken, by action.");
        _lag = _meter.CreateHistogram<double>("chatroom.analysis.lag", "s", "From a message being stored to its verdict.", advice: ChatMetrics.SecondsBuckets);
        _meter.CreateObservableGauge("chatroom.analysis.backlog", () => Interlocked.Read(ref _backlog), "{message}", "Messages waiting in the analysis queue.");
    }

    public void Verdict(string room, string mood, string safety, string tier, IReadOnlyList<string> categories)
    {
        _verdicts.Add(1, new("mood", mood), new("safety", safety), new("tier", tier));
        _roomVerdicts.Add(1, new("room", room), new("mood", mood), new("safety", safety));
        foreach (var category in categories)
        {
            _unsafe.Add(1, new("room", room), new("category", category));
        }
    }

    public void Action(string action) => _actions.Add(1, new KeyValuePair<string, object?>("action", action));

    public void Lag(TimeSpan lag) => _lag.Record(Math.Max(0, lag.TotalSeconds));

    public void Backlog(long backlog) => Interlocked.Exchange(ref _backlog, backlog);

    public void Dispose() => _meter.Dispose();
}
