using System.Diagnostics;
using System.Diagnostics.Metrics;
using Chatroom.Core.Chat;

namespace Chatroom.Analysis.Moderation;

/// <summary>
/// The escalation policy, measured on the <c>Chatroom</c> meter: messages screened by the embedded tier, those sent up
/// (by their main reason and the tier that took them; <c>none</c> when no tier above is configured), the latency the
/// tier above added, and whether the safety judge agreed with the embedded verdict.
/// </summary>
public sealed class EscalationMetrics : IDisposable
{
    public const string SafetyJudgeTier = "safety_judge";
    public const string AnalysisModelTier = "analysis_model";
    public const string NoTier = "none";

    private readonly Meter _meter;
    private readonly Counter<long> _screened;
    private readonly Counter<long> _escalations;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _judgements;

    public EscalationMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(ChatMetrics.MeterName);
        _screened = _meter.CreateCounter<long>("chatroom.moderation.screened", "{message}", "Messages classified by the embedded tier (the base of the escalated share).");
        _escalations = _meter.CreateCounter<long>("chatroom.moderation.escalations", "{message}", "Messages sent up a tier, by main reason (severe, uncertain_safety, uncertain_mood, always) and tier.");
        _latency = _meter.CreateHistogram<double>("chatroom.moderation.escalation.latency", "s", "Time the tier above added to an escalated message's verdict, by tier.", advice: ChatMetrics.SecondsBuckets);
        _judgements = _meter.CreateCounter<long>("chatroom.moderation.judge.outcomes", "{message}", "The safety judge against the embedded verdict: agree, override, or failed (the embedded verdict stands).");
    }

    public void Screened(int count) => _screened.Add(count);

    public void Escalated(EscalationReasons reasons, string tier) =>
        _escalations.Add(1, new TagList { { "reason", MainReason(reasons) }, { "tier", tier } });

    public void AddedLatency(string tier, TimeSpan elapsed) => _latency.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("tier", tier));

    /// <param name="outcome"><c>agree</c>, <c>override</c> or <c>failed</c>.</param>
    public void Judged(string model, string outcome) => _judgements.Add(1, new TagList { { "model", model }, { "outcome", outcome } });

    public void Dispose() => _meter.Dispose();

    /// <summary>One label per message, the strongest reason first, so the escalated share is a plain sum.</summary>
    public static string MainReason(EscalationReasons reasons) =>
        reasons.HasFlag(EscalationReasons.Severe) ? "severe"
        : reasons.HasFlag(EscalationReasons.UncertainSafety) ? "uncertain_safety"
        : reasons.HasFlag(EscalationReasons.UncertainMood) ? "uncertain_mood"
        : "always";
}
