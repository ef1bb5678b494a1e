using System.Collections.Concurrent;
using System.Numerics.Tensors;
using Chatroom.Analysis.Knowledge;
using Microsoft.Extensions.AI;

namespace Chatroom.Analysis.Agents.Routing;

/// <summary>
/// Similarity by meaning for topic watches and model-free intent routing: the message together with any label not
/// embedded yet (watched topics, agents' intents) in one batch, labels cached, and the batches of messages handled at the
/// same time coalesced into one embedding call (<see cref="EmbeddingBatcher"/>).
/// Runs on the agents queue, never on the chat path. Null when no embedding model is available: callers fall back to words.
/// </summary>
public sealed partial class SemanticMatcher(IEmbeddingGenerator<string, Embedding<float>> embedder, ILogger<SemanticMatcher> logger)
{
    private const int MaxCachedLabels = 10_000;

    /// <summary>Texts per coalesced call: the local model's measured sweet spot is batches of about 16.</summary>
    private const int MaxBatchTexts = 32;

    private readonly ConcurrentDictionary<string, float[]> _labels = new(StringComparer.Ordinal);
    private readonly EmbeddingBatcher _batcher = new(embedder, MaxBatchTexts);

    /// <summary>Cosine similarity of <paramref name="text"/> to each label, in order; null when embeddings are unavailable.</summary>
    public async Task<double[]?> ScoreAsync(string text, IReadOnlyList<string> labels, CancellationToken cancellationToken)
    {
        if (labels.Count == 0)
        {
            return [];
        }

        var missing = labels.Where(l => !_labels.ContainsKey(l)).Distinct(StringComparer.Ordinal).ToList();
        float[][] embeddings;
        try
        {
            embeddings = await _batcher.EmbedAsync([text, .. missing], cancellationToken);
        }
        catch (Exception e) when (e is EmbeddingUnavailableException or HttpRequestException or KnowledgeBackendException ||
                                  (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogUnavailable(logger, e.GetType().Name, e.Message);
            return null;
        }

        if (_labels.Count > MaxCachedLabels)
        {
            _labels.Clear();
        }

        for (var i = 0; i < missing.Count; i++)
        {
            _labels[missing[i]] = embeddings[i + 1];
        }

        var vector = embeddings[0].AsSpan();
        var scores = new double[labels.Count];
        for (var i = 0; i < labels.Count; i++)
        {
            var label = _labels.TryGetValue(labels[i], out var v) ? v : null;
            scores[i] = label is not null && label.Length == vector.Length ? Math.Round(TensorPrimitives.CosineSimilarity(vector, label), 4) : 0;
        }

        return scores;
    }

    [LoggerMessage(EventId = 5621, Level = LogLevel.Warning, Message = "Embeddings unavailable for matching by meaning ({Error}: {Reason}); falling back to words")]
    private static partial void LogUnavailable(ILogger logger, string error, string reason);
}
