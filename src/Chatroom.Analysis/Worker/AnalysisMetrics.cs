using System.Diagnostics.Metrics;
using Chatroom.Core.Chat;

namespace Chatroom.Analysis.Worker;

/// <summary>Moderation instruments on the <c>Chatroom</c> meter: verdicts, tiers, lag and backlog.</summary>
public sealed class AnalysisMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _verdicts;
    private readonly Counter<long> _unsafe;
    private readonly Counter<long> _actions;
    private readonly Histogram<double> _lag;
    private long _backlog;

    public AnalysisMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(ChatMetrics.MeterName);
        _verdicts = _meter.CreateCounter<long>("chatroom.analysis.verdicts", "{verdict}", "Moderation verdicts, by mood, safety and the tier that decided.");
        _unsafe = _meter.CreateCounter<long>("chatroom.analysis.unsafe", "{verdict}", "Unsafe verdicts, by category.");
        _actions = _meter.CreateCounter<long>("chatroom.analysis.actions", "{action}", "Moderation actions taken, by action.");
        _lag = _meter.CreateHistogram<double>("chatroom.analysis.lag", "s", "From a message being stored to its verdict.", advice: ChatMetrics.SecondsBuckets);
        _meter.CreateObservableGauge("chatroom.analysis.backlog", () => Interlocked.Read(ref _backlog), "{message}", "Messages waiting in the analysis queue.");
    }

    public void Verdict(string mood, string safety, string tier, IReadOnlyList<string> categories)
    {
        _verdicts.Add(1, new("mood", mood), new("safety", safety), new("tier", tier));
        foreach (var category in categories)
        {
            _unsafe.Add(1, new KeyValuePair<string, object?>("category", category));
        }
    }

    public void Action(string action) => _actions.Add(1, new KeyValuePair<string, object?>("action", action));

    public void Lag(TimeSpan lag) => _lag.Record(Math.Max(0, lag.TotalSeconds));

    public void Backlog(long backlog) => Interlocked.Exchange(ref _backlog, backlog);

    public void Dispose() => _meter.Dispose();
}
