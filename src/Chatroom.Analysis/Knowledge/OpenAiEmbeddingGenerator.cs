using System.ClientModel;
using System.ClientModel.Primitives;
using Chatroom.Analysis.Models;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Embeddings;

namespace Chatroom.Analysis.Knowledge;

/// <summary>
/// Embeddings from an OpenAI-compatible <c>POST {endpoint}/embeddings</c> (the endpoint includes <c>/v1</c>) through the
/// OpenAI SDK's <see cref="EmbeddingClient"/> as an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> (Microsoft.Extensions.AI.OpenAI).
/// </summary>
public sealed class OpenAiEmbeddingGenerator(HttpClient http, Uri endpoint, string model, string? apiKey, int batchSize = ModelEmbeddingGenerator.DefaultBatchSize, TimeSpan? timeout = null, LlmMetrics? metrics = null)
    : ModelEmbeddingGenerator(Client(http, endpoint, model, apiKey), new Uri(endpoint, "embeddings"), "The OpenAI-compatible server", model, batchSize, timeout ?? TimeSpan.FromSeconds(60), metrics)
{
    private static IEmbeddingGenerator<string, Embedding<float>> Client(HttpClient http, Uri endpoint, string model, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(http);
        var options = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = System.Threading.Timeout.InfiniteTimeSpan,
        };

        // Local servers take any key; the SDK insists on one.
        return new EmbeddingClient(model, new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "unused" : apiKey), options).AsIEmbeddingGenerator();
    }
}
