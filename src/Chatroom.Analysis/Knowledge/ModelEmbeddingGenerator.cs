using System.ClientModel;
using System.Diagnostics;
using System.Text.Json;
using Chatroom.Analysis.Models;
using Microsoft.Extensions.AI;

namespace Chatroom.Analysis.Knowledge;

/// <summary>
/// An embedding model on a server, through its ecosystem client (OllamaSharp's <c>OllamaApiClient</c>, or the OpenAI
/// SDK via Microsoft.Extensions.AI.OpenAI) decorated with <c>UseOpenTelemetry</c>. What this layer adds is what the
/// knowledge base needs around it: batches of at most <see cref="BatchSize"/> texts, a timeout per request, errors as
/// <see cref="KnowledgeBackendException"/> that say which server failed and how, consistency checks, and
/// <c>chatroom_llm_*</c> metrics with purpose <c>embedding</c>.
/// </summary>
public abstract class ModelEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    public const string Purpose = "embedding";
    public const int DefaultBatchSize = 64;

    private readonly Uri _uri;
    private readonly LlmMetrics? _metrics;

    protected ModelEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, Uri uri, string displayName, string model, int batchSize, TimeSpan timeout, LlmMetrics? metrics)
        : base(new EmbeddingGeneratorBuilder<string, Embedding<float>>(inner).UseOpenTelemetry(sourceName: AnalysisModelClientFactory.TelemetrySourceName).Build())
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _uri = uri;
        Model = model;
        BatchSize = batchSize;
        Timeout = timeout;
        _metrics = metrics;
        ProviderName = displayName;
    }

    public string Model { get; }

    public int BatchSize { get; }

    public TimeSpan Timeout { get; }

    /// <summary>For error messages: <c>Ollama</c>, <c>The OpenAI-compatible server</c>.</summary>
    protected string ProviderName { get; }

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = values.ToList();
        var model = options?.ModelId ?? Model;
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        long promptTokens = 0;
        int? dimensions = null;
        foreach (var batch in inputs.Chunk(BatchSize))
        {
            var embeddings = await SendAsync(batch, model, options, cancellationToken).ConfigureAwait(false);
            foreach (var embedding in embeddings)
            {
                dimensions ??= embedding.Vector.Length;
                if (embedding.Vector.Length != dimensions)
                {
                    throw new KnowledgeBackendException($"{ProviderName} model {model} returned embeddings of {dimensions} and {embedding.Vector.Length} dimensions in one call.");
                }

                embedding.ModelId ??= model;
                result.Add(embedding);
            }

            promptTokens += embeddings.Usage?.InputTokenCount ?? 0;
        }

        result.Usage = new UsageDetails { InputTokenCount = promptTokens, TotalTokenCount = promptTokens };
        return result;
    }

    private async Task<GeneratedEmbeddings<Embedding<float>>> SendAsync(string[] batch, string model, EmbeddingGenerationOptions? options, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var outcome = "error";
        try
        {
            var embeddings = await base.GenerateAsync(batch, options, timeout.Token).ConfigureAwait(false);
            if (embeddings.Count != batch.Length)
            {
                throw new KnowledgeBackendException($"{ProviderName} returned {embeddings.Count} embeddings for {batch.Length} inputs.");
            }

            if (embeddings.Any(e => e.Vector.Length == 0))
            {
                throw new KnowledgeBackendException($"{ProviderName} returned an empty embedding; is {model} an embedding model?");
            }

            outcome = "success";
            _metrics?.Tokens(model, Purpose, embeddings.Usage?.InputTokenCount ?? 0, 0);
            return embeddings;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = "timeout";
            throw new KnowledgeBackendException($"{ProviderName} at {_uri} did not answer within {Timeout.TotalSeconds:0.#} s (Chatroom:Knowledge:RequestTimeout).", ex);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is { } status)
        {
            throw new KnowledgeBackendException($"{ProviderName} at {_uri} answered {(int)status} for model {model}{Hint((int)status)}: {ex.Message}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new KnowledgeBackendException($"{ProviderName} at {_uri} is unreachable: {ex.Message}", ex);
        }
        catch (ClientResultException ex) when (ex.Status > 0)
        {
            throw new KnowledgeBackendException($"{ProviderName} at {_uri} answered {ex.Status} for model {model}{Hint(ex.Status)}: {Truncate(ex.Message)}", ex);
        }
        catch (ClientResultException ex)
        {
            throw new KnowledgeBackendException($"{ProviderName} at {_uri} is unreachable: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or KeyNotFoundException && ex is not KnowledgeBackendException)
        {
            throw new KnowledgeBackendException($"{ProviderName} at {_uri} sent an unreadable embedding response: {Truncate(ex.Message)}", ex);
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

    private static string Hint(int status) => status == 404 ? " (is the model pulled, and the endpoint right?)" : string.Empty;

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300];
}
