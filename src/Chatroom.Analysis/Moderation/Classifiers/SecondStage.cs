using Chatroom.Analysis.Knowledge;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Moderation.Classifiers;

/// <summary>
/// The embedded tier with its second stage: every message gets the first tier's verdict; the messages whose trained
/// scores lie in an uncertain band (<see cref="EmbeddingHeads.IsUncertain"/>) are embedded with all-MiniLM-L6-v2 — a
/// vector the service already holds when the agents queue embedded the message first, computed here otherwise — and
/// classified again with the embedding heads' combined scores. A new inference needs a token of the process's budget
/// (<see cref="SecondStageBudget"/>); a held vector does not. Over the budget, or when the sentence model is
/// unavailable, the first tier's verdicts stand; <see cref="EscalationMetrics.SecondStage"/> counts each outcome.
/// </summary>
public sealed partial class SecondStage
{
    private readonly ClassifierModerator _embedded;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embedder;
    private readonly IOptionsMonitor<ModerationOptions> _options;
    private readonly ILogger<SecondStage> _logger;
    private readonly EmbeddingHeads _heads;
    private readonly EscalationMetrics? _metrics;
    private readonly SecondStageBudget _budget;
    private int _unavailableReported;

    /// <param name="embedded">The first tier.</param>
    /// <param name="embedder">all-MiniLM-L6-v2 (the local generator): the heads were trained on its vectors and on no other model's.</param>
    /// <param name="options">Whether the second stage runs (<see cref="ModerationOptions.SecondStage"/>) and its budget.</param>
    /// <param name="logger">Where an unavailable sentence model is reported.</param>
    /// <param name="heads">The heads; null uses <see cref="EmbeddingHeads.Default"/>.</param>
    /// <param name="metrics">Where outcomes are counted; null counts nothing.</param>
    /// <param name="time">The clock of the budget; null is the system clock.</param>
    public SecondStage(
        ClassifierModerator embedded,
        IEmbeddingGenerator<string, Embedding<float>> embedder,
        IOptionsMonitor<ModerationOptions> options,
        ILogger<SecondStage> logger,
        EmbeddingHeads? heads = null,
        EscalationMetrics? metrics = null,
        TimeProvider? time = null)
    {
        _embedded = embedded;
        _embedder = embedder;
        _options = options;
        _logger = logger;
        _heads = heads ?? EmbeddingHeads.Default;
        _metrics = metrics;
        _budget = new SecondStageBudget(time ?? TimeProvider.System, () => options.CurrentValue.SecondStageBudgetPerSecond);
    }

    /// <summary>Verdicts of <paramref name="texts"/>, in order.</summary>
    public async Task<ModerationVerdict[]> ClassifyAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var verdicts = new ModerationVerdict[texts.Count];
        var uncertain = new List<int>();
        var enabled = _options.CurrentValue.SecondStage;
        for (var i = 0; i < texts.Count; i++)
        {
            verdicts[i] = _embedded.Classify(texts[i], null, out var first);
            if (enabled && _heads.IsUncertain(first))
            {
                uncertain.Add(i);
            }
        }

        if (uncertain.Count == 0)
        {
            return verdicts;
        }

        // Held vectors first (free), then new inferences while the budget lasts; the rest keep the first tier's verdict.
        var decision = _embedded.TrainedMoodDecision;
        var held = _embedder.GetService<IRecentEmbeddings>();
        var toEmbed = new List<int>(uncertain.Count);
        int cached = 0, overBudget = 0;
        foreach (var i in uncertain)
        {
            if (held is not null && held.TryGetRecent(texts[i], out var vector) && vector.Length == EmbeddingHeads.Dimensions)
            {
                verdicts[i] = _embedded.Classify(texts[i], scores => _heads.Refine(scores, vector, decision), out _);
                cached++;
            }
            else if (_budget.TryTake())
            {
                toEmbed.Add(i);
            }
            else
            {
                overBudget++;
            }
        }

        _metrics?.SecondStage(EscalationMetrics.SecondStageCachedVector, cached);
        _metrics?.SecondStage(EscalationMetrics.SecondStageOverBudget, overBudget);
        if (toEmbed.Count == 0)
        {
            return verdicts;
        }

        GeneratedEmbeddings<Embedding<float>> embeddings;
        try
        {
            embeddings = await _embedder.GenerateAsync(toEmbed.Select(i => texts[i]), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The first tier has answered already; a missing sentence model must not cost the message its verdict.
            // Reported once per outage: every uncertain batch would say the same.
            if (Interlocked.Exchange(ref _unavailableReported, 1) == 0)
            {
                LogUnavailable(_logger, e.GetType().Name, e.Message);
            }

            _metrics?.SecondStage(EscalationMetrics.SecondStageUnavailable, toEmbed.Count);
            return verdicts;
        }

        Interlocked.Exchange(ref _unavailableReported, 0);

        for (var k = 0; k < toEmbed.Count; k++)
        {
            var vector = embeddings[k].Vector;
            if (vector.Length != EmbeddingHeads.Dimensions)
            {
                LogWrongModel(_logger, vector.Length, EmbeddingHeads.EmbeddingModel, EmbeddingHeads.Dimensions);
                _metrics?.SecondStage(EscalationMetrics.SecondStageRefined, k);
                _metrics?.SecondStage(EscalationMetrics.SecondStageUnavailable, toEmbed.Count - k);
                return verdicts;
            }

            var i = toEmbed[k];
            verdicts[i] = _embedded.Classify(texts[i], scores => _heads.Refine(scores, vector.Span, decision), out _);
        }

        _metrics?.SecondStage(EscalationMetrics.SecondStageRefined, toEmbed.Count);
        return verdicts;
    }

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Moderation second stage skipped: sentence embeddings unavailable ({Error}: {Reason}); the first tier's verdicts stand")]
    private static partial void LogUnavailable(ILogger logger, string error, string reason);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Moderation second stage skipped: the embedder returned {Length} dimensions, the heads need {Model} ({Dimensions})")]
    private static partial void LogWrongModel(ILogger logger, int length, string model, int dimensions);
}
