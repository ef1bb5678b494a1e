using Chatroom.Analysis.Moderation.Classifiers;
using Chatroom.Analysis.Moderation.Llm;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Moderation;

/// <summary>
/// Runs the embedded tier on every message and, per policy, the LLM tier on some; the verdict records which tier
/// decided. When the LLM tier is absent or fails, the embedded verdict stands; when it fails, the verdict says why.
/// </summary>
public sealed class ModerationCascade
{
    private readonly ClassifierModerator _embedded;
    private readonly LlmModerator? _llm;
    private readonly IOptionsMonitor<ModerationOptions> _options;
    private readonly SecondStage? _secondStage;

    /// <param name="secondStage">The embedded tier's second stage for uncertain messages; null runs the first tier alone.</param>
    public ModerationCascade(ClassifierModerator embedded, IOptionsMonitor<ModerationOptions> options, LlmModerator? llm = null, SecondStage? secondStage = null)
    {
        _embedded = embedded;
        _options = options;
        _llm = llm;
        _secondStage = secondStage;
    }

    public bool HasLlm => _llm is not null;

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
        var escalate = new List<int>();
        var embedded = _secondStage is null ? null : await _secondStage.ClassifyAsync(texts, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < texts.Count; i++)
        {
            verdicts[i] = embedded?[i] ?? _embedded.Classify(texts[i]);
            if (effective == LlmPolicy.Always || (effective == LlmPolicy.WhenUncertain && IsUncertain(verdicts[i], options)))
            {
                escalate.Add(i);
            }
        }

        if (_llm is null || escalate.Count == 0)
        {
            return verdicts;
        }

        var llmVerdicts = await _llm.ClassifyAsync(escalate.Select(i => texts[i]).ToList(), context ?? [], cancellationToken).ConfigureAwait(false);
        for (var k = 0; k < escalate.Count; k++)
        {
            verdicts[escalate[k]] = llmVerdicts[k]
                ?? verdicts[escalate[k]] with { Fallback = _llm.CircuitOpen ? ModerationVerdict.FallbackCircuitOpen : ModerationVerdict.FallbackLlmFailed };
        }

        return verdicts;
    }

    public static bool IsUncertain(ModerationVerdict verdict, ModerationOptions options) =>
        verdict.Confidence < options.SafetyConfidenceThreshold || verdict.MoodConfidence < options.MoodConfidenceThreshold;
}
