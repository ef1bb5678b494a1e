using Chatroom.Analysis.Models;
using OllamaSharp;

namespace Chatroom.Analysis.Knowledge;

/// <summary>Embeddings from Ollama (<c>POST /api/embed</c>) through OllamaSharp's <see cref="OllamaApiClient"/>.</summary>
public sealed class OllamaEmbeddingGenerator(HttpClient http, Uri endpoint, string model, int batchSize = ModelEmbeddingGenerator.DefaultBatchSize, TimeSpan? timeout = null, LlmMetrics? metrics = null)
    : ModelEmbeddingGenerator(Client(http, endpoint, model), new Uri(endpoint, "api/embed"), "Ollama", model, batchSize, timeout ?? TimeSpan.FromSeconds(60), metrics)
{
    private static OllamaApiClient Client(HttpClient http, Uri endpoint, string model)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (http.BaseAddress is null)
        {
            http.BaseAddress = endpoint;
        }
        else if (http.BaseAddress != endpoint)
        {
            throw new ArgumentException($"The HttpClient's base address {http.BaseAddress} is not the Ollama endpoint {endpoint}.", nameof(http));
        }

        return new OllamaApiClient(http, model);
    }
}
