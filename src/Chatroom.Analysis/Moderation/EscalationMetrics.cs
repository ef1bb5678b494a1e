using System.Diagnostics;
using System.Diagnostics.Metrics;
using Chatroom.Core.Chat;

namespace Chatroom.Analysis.Moderation;

/// <summary>
/// The escalation policy, measured on the <c>Chatroom</c> meter: messages screened by the embedded tier, those sent up
/// (by their main reason and the tier that took them; <c>none</c> when no tier above is configured), the latency the
/// tier above added, whether the safety judge agreed with the embedded verdict, and how the embedded tier's second stage
/// fared (refined, from a held vector, over its CPU budget, or without a sentence model).
/// </summary>
public sealed class EscalationMetrics : IDisposable
{
    public const string SafetyJudgeTier = "safety_judge";
    public const string AnalysisModelTier = "analysis_model";
    public const string NoTier = "none";

    /// <summary>Second stage outcomes: the heads re-read the message on a new inference, on a vector already held, or not at all.</summary>
    public const string SecondStageRefined = "refined";
    public const string SecondStageCachedVector = "cached_vector";
    public const string SecondStageOverBudget = "over_budget";
    public const string SecondStageUnavailable = "unavailable";

    private readonly Meter _meter;
    private readonly Counter<long> _screened;
    private readonly Counter<long> _escalations;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _judgements;
    private readonly Counter<long> _secondStage;

    public EscalationMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(ChatMetrics.MeterName);
        _screened = _meter.CreateCounter<long>("chatroom.moderation.screened", "{message}", "Messages classified by the embedded tier (the base of the escalated share).");
        _escalations = _meter.CreateCounter<long>("chatroom.moderation.escalations", "{message}", "Messages sent up a tier, by main reason (severe, uncertain_safety, uncertain_mood, always) and tier.");
        _latency = _meter.CreateHistogram<double>("chatroom.moderation.escalation.latency", "s", "Time the tier above added to an escalated message's verdict, by tier.", advice: ChatMetrics.SecondsBuckets);
        _judgements = _meter.CreateCounter<long>("chatroom.moderation.judge.outcomes", "{message}", "The safety judge against the embedded verdict: agree, override, or failed (the embedded verdict stands).");
        _secondStage = _meter.CreateCounter<long>("chatroom.moderation.second_stage", "{message}", "Messages in the embedded tier's uncertain band, by outcome: refined (new MiniLM inference), cached_vector, over_budget or unavailable (the first tier's verdict stands).");
    }

    public void Screened(int count) => _screened.Add(count);

    public void Escalated(EscalationReasons reasons, string tier) =>
        _escalations.Add(1, new TagList { { "reason", MainReason(reasons) }, { "tier", tier } });

    public void AddedLatency(string tier, TimeSpan elapsed) => _latency.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("tier", tier));

    /// <param name="outcome"><c>agree</c>, <c>override</c> or <c>failed</c>.</param>
    public void Judged(string model, string outcome) => _judgements.Add(1, new TagList { { "model", model }, { "outcome", outcome } });

    /// <param name="outcome">One of the <c>SecondStage*</c> constants.</param>
    /// <param name="count">Messages with that outcome.</param>
    public void SecondStage(string outcome, int count)
    {
        if (count > 0)
        {
            _secondStage.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public void Dispose() => _meter.Dispose();

    /// <summary>One label per message, the strongest reason first, so the escalated share is a plain sum.</summary>
    public static string MainReason(EscalationReasons reasons) =>
        reasons.HasFlag(EscalationReasons.Severe) ? "severe"
        : reasons.HasFlag(EscalationReasons.UncertainSafety) ? "uncertain_safety"
        : reasons.HasFlag(EscalationReasons.UncertainMood) ? "uncertain_mood"
        : "always";
}
