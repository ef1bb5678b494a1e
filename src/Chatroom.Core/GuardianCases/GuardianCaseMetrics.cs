using System.Diagnostics.Metrics;
using Chatroom.Core.Chat;

namespace Chatroom.Core.GuardianCases;

/// <summary>
/// Guardian case instruments on the <c>Chatroom</c> meter: cases opened (by kind; the analysis service), time from opening
/// to the first moderator read, and resolutions by action (the API). Labels are fixed sets, never users or rooms.
/// </summary>
public sealed class GuardianCaseMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _opened;
    private readonly Histogram<double> _firstReview;
    private readonly Counter<long> _dismissals;
    private readonly Counter<long> _resolved;

    public GuardianCaseMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(ChatMetrics.MeterName);
        _opened = _meter.CreateCounter<long>("chatroom.guardian.cases_opened", "{case}", "Guardian cases opened, by kind (conversation, contacts).");
        _firstReview = _meter.CreateHistogram<double>("chatroom.guardian.time_to_first_review", "s", "From a guardian case opening to a moderator first reading it.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 3 * 86400] });
        _dismissals = _meter.CreateCounter<long>("chatroom.guardian.dismissals", "{case}", "Guardian cases dismissed by a moderator.");
        _resolved = _meter.CreateCounter<long>("chatroom.guardian.cases_resolved", "{case}", "Guardian cases resolved, by action.");
    }

    public void Opened(string kind) => _opened.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void FirstReview(TimeSpan sinceOpened) => _firstReview.Record(Math.Max(0, sinceOpened.TotalSeconds));

    public void Resolved(string state)
    {
        _resolved.Add(1, new KeyValuePair<string, object?>("state", state));
        if (state == GuardianCaseStates.Dismissed)
        {
            _dismissals.Add(1);
        }
    }

    public void Dispose() => _meter.Dispose();
}
