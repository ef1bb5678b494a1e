using System.Diagnostics;
using Chatroom.Analysis.Moderation.Classifiers;
using Chatroom.Analysis.Moderation.Llm;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Moderation;

/// <summary>
/// Runs the embedded tier on every message and sends some up, per policy (<see cref="Reasons"/>): with a safety judge,
/// the judge decides the safety of messages sent up for safety and the analysis model the mood of messages sent up for
/// mood; without one, the analysis model decides both, as before. The verdict records which tier decided. When a tier
/// is absent or fails, the embedded verdict (or its part) stands; when it fails, the verdict says why.
/// </summary>
public sealed class ModerationCascade
{
    private readonly ClassifierModerator _embedded;
    private readonly LlmModerator? _llm;
    private readonly SafetyJudge? _judge;
    private readonly EscalationMetrics? _metrics;
    private readonly IOptionsMonitor<ModerationOptions> _options;
    private readonly SecondStage? _secondStage;

    /// <param name="secondStage">The embedded tier's second stage for uncertain messages; null runs the first tier alone.</param>
    public ModerationCascade(ClassifierModerator embedded, IOptionsMonitor<ModerationOptions> options, LlmModerator? llm = null, SafetyJudge? judge = null,
        EscalationMetrics? metrics = null, SecondStage? secondStage = null)
    {
        _embedded = embedded;
        _options = options;
        _llm = llm;
        _judge = judge;
        _metrics = metrics;
        _secondStage = secondStage;
    }

    public bool HasLlm => _llm is not null || _judge is not null;

    public async Task<ModerationVerdict> ClassifyAsync(string text, IReadOnlyList<string>? context = null, LlmPolicy? policy = null, CancellationToken cancellationToken = default)
    {
        var verdicts = await ClassifyAsync([text], context, policy, cancellationToken).ConfigureAwait(false);
        return verdicts[0];
    }

    /// <summary>Classifies messages of one room in order; <paramref name="context"/> holds the room's preceding messages.</summary>
    public async Task<IReadOnlyList<ModerationVerdict>> ClassifyAsync(IReadOnlyList<string> texts, IReadOnlyList<string>? context = null, LlmPolicy? policy = null, CancellationToken cancellationToken = default)
    {
        var options = _options.CurrentValue;
        var effective = policy ?? options.Llm;
        var verdicts = new ModerationVerdict[texts.Count];
        var reasons = new EscalationReasons[texts.Count];
        List<int> toJudge = [], toLlm = [];
        var embedded = _secondStage is null ? null : await _secondStage.ClassifyAsync(texts, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < texts.Count; i++)
        {
            verdicts[i] = embedded?[i] ?? _embedded.Classify(texts[i]);
            reasons[i] = Reasons(verdicts[i], options, effective);
            if (reasons[i] == EscalationReasons.None)
            {
                continue;
            }

            var judged = _judge is not null && (reasons[i] & EscalationReasons.Safety) != 0;
            var toAnalysis = _llm is not null && (_judge is null || (reasons[i] & (EscalationReasons.UncertainMood | EscalationReasons.Always)) != 0);
            if (judged)
            {
                toJudge.Add(i);
            }

            if (toAnalysis)
            {
                toLlm.Add(i);
            }

            _metrics?.Escalated(reasons[i], judged ? EscalationMetrics.SafetyJudgeTier : toAnalysis ? EscalationMetrics.AnalysisModelTier : EscalationMetrics.NoTier);
        }

        _metrics?.Screened(texts.Count);
        var judging = JudgeAsync(texts, toJudge, cancellationToken);
        var analysing = AnalyseAsync(texts, toLlm, context ?? [], cancellationToken);
        var judgements = await judging.ConfigureAwait(false);
        var llmVerdicts = await analysing.ConfigureAwait(false);

        for (var k = 0; k < toLlm.Count; k++)
        {
            var i = toLlm[k];
            verdicts[i] = llmVerdicts[k] is { } llm
                ? _judge is null ? llm : verdicts[i] with { Mood = llm.Mood, MoodScore = llm.MoodScore, MoodConfidence = llm.MoodConfidence, Tier = SafetyLabels.LlmTier, Model = llm.Model }
                : verdicts[i] with { Fallback = _llm!.CircuitOpen ? ModerationVerdict.FallbackCircuitOpen : ModerationVerdict.FallbackLlmFailed };
        }

        for (var k = 0; k < toJudge.Count; k++)
        {
            var i = toJudge[k];
            verdicts[i] = Judged(verdicts[i], judgements[k]);
        }

        return verdicts;
    }

    /// <summary>Why policy sends <paramref name="verdict"/> up a tier (<see cref="EscalationReasons.None"/>: it stays).</summary>
    public static EscalationReasons Reasons(ModerationVerdict verdict, ModerationOptions options, LlmPolicy policy)
    {
        if (policy == LlmPolicy.Never)
        {
            return EscalationReasons.None;
        }

        var reasons = policy == LlmPolicy.Always ? EscalationReasons.Always : EscalationReasons.None;
        var escalation = options.Escalation;
        for (var c = 0; c < verdict.CategoryScores.Count && c < SafetyCategories.All.Count; c++)
        {
            var category = SafetyCategories.All[c];
            var score = verdict.CategoryScores[c];
            if (escalation.IsSevere(category) && (score >= escalation.SevereFloor || verdict.Categories.Contains(category)))
            {
                reasons |= EscalationReasons.Severe;
            }

            if (escalation.BandFor(category).Contains(score))
            {
                reasons |= EscalationReasons.UncertainSafety;
            }
        }

        if (verdict.Confidence < options.SafetyConfidenceThreshold)
        {
            reasons |= EscalationReasons.UncertainSafety;
        }

        if (verdict.MoodConfidence < options.MoodConfidenceThreshold)
        {
            reasons |= EscalationReasons.UncertainMood;
        }

        return reasons;
    }

    public static bool IsUncertain(ModerationVerdict verdict, ModerationOptions options) =>
        verdict.Confidence < options.SafetyConfidenceThreshold || verdict.MoodConfidence < options.MoodConfidenceThreshold;

    private async Task<IReadOnlyList<SafetyJudgement?>> JudgeAsync(IReadOnlyList<string> texts, List<int> indices, CancellationToken cancellationToken)
    {
        if (_judge is null || indices.Count == 0)
        {
            return [];
        }

        var started = Stopwatch.GetTimestamp();
        var judgements = await _judge.JudgeAsync(indices.Select(i => texts[i]).ToList(), cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        foreach (var _ in indices)
        {
            _metrics?.AddedLatency(EscalationMetrics.SafetyJudgeTier, elapsed);
        }

        return judgements;
    }

    private async Task<IReadOnlyList<ModerationVerdict?>> AnalyseAsync(IReadOnlyList<string> texts, List<int> indices, IReadOnlyList<string> context, CancellationToken cancellationToken)
    {
        if (_llm is null || indices.Count == 0)
        {
            return [];
        }

        var started = Stopwatch.GetTimestamp();
        var verdicts = await _llm.ClassifyAsync(indices.Select(i => texts[i]).ToList(), context, cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        foreach (var _ in indices)
        {
            _metrics?.AddedLatency(EscalationMetrics.AnalysisModelTier, elapsed);
        }

        return verdicts;
    }

    /// <summary>The judge's safety over <paramref name="verdict"/>'s (whose mood may already be the analysis model's).</summary>
    private ModerationVerdict Judged(ModerationVerdict verdict, SafetyJudgement? judgement)
    {
        var judge = _judge!;
        if (judgement is null)
        {
            _metrics?.Judged(judge.Model, "failed");
            return verdict with { Fallback = judge.CircuitOpen ? ModerationVerdict.FallbackCircuitOpen : ModerationVerdict.FallbackLlmFailed };
        }

        _metrics?.Judged(judge.Model, judgement.IsUnsafe == verdict.IsUnsafe ? "agree" : "override");
        return verdict with
        {
            Safety = judgement.IsUnsafe ? SafetyLabels.Unsafe : SafetyLabels.Safe,
            UnsafeScore = judgement.UnsafeScore,
            Categories = judgement.Categories,
            Confidence = judgement.IsUnsafe ? judgement.UnsafeScore : 1 - judgement.UnsafeScore,
            Tier = SafetyLabels.LlmTier,
            Model = judgement.Model,
            // Safety is what a flag is about, and the judge answered it.
            Fallback = null,
        };
    }
}
