using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using ChatMessage = Chatroom.Core.Messages.ChatMessage;

namespace Chatroom.Api.Mcp;

/// <summary>
/// Ranks the MCP <c>search</c> tool's candidates by meaning: the query and the candidates are embedded by the process's
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> (the standalone host's local model; the API alone has none, so
/// it keeps the word search) and ordered by cosine similarity, with a boost for a message holding every word of the
/// query so a name or a code is still found. Vectors are kept per room and message, bounded, so a repeated search embeds
/// only what is new. Embedding is bounded per call and timed: past the timeout the caller falls back to the word search.
/// </summary>
public sealed partial class McpMeaningSearch(IServiceProvider services, IOptions<McpSearchOptions> options, ILogger<McpMeaningSearch> logger)
{
    /// <summary>Newest candidates ranked by meaning in one call; older ones still count when they hold every word.</summary>
    public const int MaxEmbeddedPerCall = 1000;

    /// <summary>Cached message vectors: 20,000 of the local model's 384 floats are about 30 MB.</summary>
    public const int MaxCached = 20_000;

    /// <summary>
    /// Below this a result is not shown: unrelated sentences score about 0-0.2 with the local model, so without a floor
    /// every search would answer with the room's small talk.
    /// </summary>
    public const double MinScore = 0.3;

    /// <summary>Added for a message containing every word of the query, which alone reaches <see cref="MinScore"/>.</summary>
    public const double AllWordsBoost = 0.3;

    private readonly Lazy<IEmbeddingGenerator<string, Embedding<float>>?> _embedder = new(() =>
        options.Value.ByMeaning ? services.GetService<IEmbeddingGenerator<string, Embedding<float>>>() : null);

    private readonly ConcurrentDictionary<(string Room, long Id), Cached> _cache = new();

    /// <summary>Whether this process can rank by meaning.</summary>
    public bool IsAvailable => _embedder.Value is not null;

    /// <summary>Whether <paramref name="message"/> contains every term (case-insensitive): the word search's match.</summary>
    public static bool ContainsAllWords(ChatMessage message, IReadOnlyList<string> terms) =>
        terms.All(t => message.Text.Contains(t, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The best <paramref name="take"/> of <paramref name="candidates"/> (newest first) by meaning, scored; null when the
    /// embedding failed or timed out, so the caller answers with the word search.
    /// </summary>
    public async Task<IReadOnlyList<(ChatMessage Message, double Score)>?> RankAsync(
        string query, IReadOnlyList<string> terms, IReadOnlyList<ChatMessage> candidates, int take, CancellationToken cancellationToken)
    {
        var embedder = _embedder.Value ?? throw new InvalidOperationException("no embedding generator in this process");
        var window = candidates.Take(MaxEmbeddedPerCall).Where(m => !string.IsNullOrWhiteSpace(m.Text)).ToList();
        // This call's vectors, apart from the shared cache, which another call may clear meanwhile.
        var vectors = new Dictionary<(string Room, long Id), float[]>();
        var missing = new List<ChatMessage>();
        foreach (var message in window)
        {
            if (_cache.TryGetValue((message.Room, message.Id), out var cached) && string.Equals(cached.Text, message.Text, StringComparison.Ordinal))
            {
                vectors[(message.Room, message.Id)] = cached.Vector;
            }
            else
            {
                missing.Add(message);
            }
        }

        float[] queryVector;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(options.Value.Timeout);
            GeneratedEmbeddings<Embedding<float>> generated;
            try
            {
                // WaitAsync: a generator that ignores the token still cannot hold the call past the timeout.
                generated = await embedder.GenerateAsync([query, .. missing.Select(m => m.Text)], null, timeout.Token).WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                LogTimedOut(logger, missing.Count, (long)options.Value.Timeout.TotalMilliseconds);
                return null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The generator's own failures (the local model did not load, the model server is down) are its types, not
                // ours: any of them means the word search answers.
                LogFailed(logger, e.GetType().Name, e.Message);
                return null;
            }

            queryVector = generated[0].Vector.ToArray();
            if (_cache.Count + missing.Count > MaxCached)
            {
                _cache.Clear();
            }

            for (var i = 0; i < missing.Count; i++)
            {
                var vector = generated[i + 1].Vector.ToArray();
                vectors[(missing[i].Room, missing[i].Id)] = vector;
                _cache[(missing[i].Room, missing[i].Id)] = new Cached(missing[i].Text, vector);
            }
        }

        var scored = new List<(ChatMessage Message, double Score)>();
        foreach (var message in candidates)
        {
            var boost = ContainsAllWords(message, terms) ? AllWordsBoost : 0;
            var meaning = vectors.TryGetValue((message.Room, message.Id), out var vector) ? Cosine(queryVector, vector) : 0;
            var score = Math.Round(meaning + boost, 4);
            if (score >= MinScore)
            {
                scored.Add((message, score));
            }
        }

        return [.. scored.OrderByDescending(s => s.Score).ThenByDescending(s => s.Message.SentAt).ThenByDescending(s => s.Message.Id).Take(take)];
    }

    private static double Cosine(float[] a, float[] b)
    {
        if (a.Length != b.Length)
        {
            return 0;
        }

        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    [LoggerMessage(EventId = 2701, Level = LogLevel.Warning, Message = "MCP search by meaning timed out embedding {Texts} messages after {Milliseconds} ms; answered with the word search")]
    private static partial void LogTimedOut(ILogger logger, int texts, long milliseconds);

    [LoggerMessage(EventId = 2702, Level = LogLevel.Warning, Message = "MCP search by meaning failed ({Error}: {Reason}); answered with the word search")]
    private static partial void LogFailed(ILogger logger, string error, string reason);

    private sealed record Cached(string Text, float[] Vector);
}
