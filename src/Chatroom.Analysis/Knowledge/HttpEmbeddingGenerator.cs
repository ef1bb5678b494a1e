using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chatroom.Analysis.Llm;
using Microsoft.Extensions.AI;

namespace Chatroom.Analysis.Knowledge;

/// <summary>
/// What the HTTP embedding clients share: batches of at most <see cref="BatchSize"/> texts, a timeout per request,
/// errors as <see cref="KnowledgeBackendException"/> that say which server failed and how, and
/// <c>chatroom_llm_*</c> metrics with purpose <c>embedding</c>.
/// </summary>
public abstract class HttpEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string Purpose = "embedding";
    public const int DefaultBatchSize = 64;

    private readonly HttpClient _http;
    private readonly Uri _uri;
    private readonly LlmMetrics? _metrics;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <param name="http">The HTTP client; its own timeout should be infinite, <paramref name="timeout"/> applies per request.</param>
    protected HttpEmbeddingGenerator(HttpClient http, Uri uri, string provider, string displayName, Uri endpoint, string model, int batchSize, TimeSpan timeout, LlmMetrics? metrics)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _http = http;
        _uri = uri;
        Model = model;
        BatchSize = batchSize;
        Timeout = timeout;
        _metrics = metrics;
        ProviderName = displayName;
        _metadata = new EmbeddingGeneratorMetadata(provider, endpoint, model);
    }

    public string Model { get; }

    public int BatchSize { get; }

    public TimeSpan Timeout { get; }

    /// <summary>For error messages: <c>Ollama</c>, <c>the OpenAI-compatible server</c>.</summary>
    protected string ProviderName { get; }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = values.ToList();
        var model = options?.ModelId ?? Model;
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        long promptTokens = 0;
        int? dimensions = null;
        foreach (var batch in inputs.Chunk(BatchSize))
        {
            var (vectors, tokens) = await SendAsync(batch, model, options?.Dimensions, cancellationToken).ConfigureAwait(false);
            foreach (var vector in vectors)
            {
                dimensions ??= vector.Length;
                if (vector.Length != dimensions)
                {
                    throw new KnowledgeBackendException($"{ProviderName} model {model} returned embeddings of {dimensions} and {vector.Length} dimensions in one call.");
                }

                result.Add(new Embedding<float>(vector) { ModelId = model, CreatedAt = DateTimeOffset.UtcNow });
            }

            promptTokens += tokens;
        }

        result.Usage = new UsageDetails { InputTokenCount = promptTokens, TotalTokenCount = promptTokens };
        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        // The HttpClient belongs to the caller (IHttpClientFactory); nothing to release here.
        GC.SuppressFinalize(this);
    }

    /// <summary>The request body for one batch.</summary>
    protected abstract JsonObject BuildRequest(IReadOnlyList<string> inputs, string model, int? dimensions);

    /// <summary>The vectors (in input order) and prompt tokens of a successful response; throws on a malformed one.</summary>
    protected abstract (float[][] Vectors, long PromptTokens) ReadResponse(JsonElement root);

    /// <summary>The server's error text from an error body, if it has one.</summary>
    protected abstract string? ReadError(JsonElement root);

    protected virtual void AddHeaders(HttpRequestMessage request)
    {
    }

    private async Task<(float[][] Vectors, long PromptTokens)> SendAsync(IReadOnlyList<string> batch, string model, int? dimensions, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var outcome = "error";
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _uri) { Content = JsonContent.Create(BuildRequest(batch, model, dimensions)) };
            AddHeaders(request);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new KnowledgeBackendException(
                    $"{ProviderName} at {_uri} answered {(int)response.StatusCode} for model {model}: {Truncate(TryReadError(body) ?? body)}");
            }

            (float[][] Vectors, long PromptTokens) parsed;
            try
            {
                using var document = JsonDocument.Parse(body);
                parsed = ReadResponse(document.RootElement);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
            {
                throw new KnowledgeBackendException($"{ProviderName} at {_uri} sent an unreadable embedding response: {Truncate(body)}", ex);
            }

            if (parsed.Vectors.Length != batch.Count)
            {
                throw new KnowledgeBackendException($"{ProviderName} returned {parsed.Vectors.Length} embeddings for {batch.Count} inputs.");
            }

            if (parsed.Vectors.Any(v => v.Length == 0))
            {
                throw new KnowledgeBackendException($"{ProviderName} returned an empty embedding; is {model} an embedding model?");
            }

            outcome = "success";
            _metrics?.Tokens(model, Purpose, parsed.PromptTokens, 0);
            return parsed;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = "timeout";
            throw new KnowledgeBackendException($"{ProviderName} at {_uri} did not answer within {Timeout.TotalSeconds:0.#} s (Chatroom:Knowledge:RequestTimeout).", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new KnowledgeBackendException($"{ProviderName} at {_uri} is unreachable: {ex.Message}", ex);
        }
        catch (OperationCanceledException)
        {
            outcome = "canceled";
            throw;
        }
        finally
        {
            _metrics?.Request(model, Purpose, outcome, Stopwatch.GetElapsedTime(started));
        }
    }

    private string? TryReadError(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return ReadError(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    protected static float[] ReadVector(JsonElement array)
    {
        var vector = new float[array.GetArrayLength()];
        var i = 0;
        foreach (var value in array.EnumerateArray())
        {
            vector[i++] = value.GetSingle();
        }

        return vector;
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300];
}
