using Chatroom.Analysis.Models;
using Chatroom.ServiceDefaults.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Knowledge;

public static class KnowledgeServiceCollectionExtensions
{
    /// <summary>The HTTP client name of the embedding model and of Milvus.</summary>
    public const string HttpClientName = "knowledge";

    /// <summary>
    /// The knowledge base and its two ports: embeddings from <c>ConnectionStrings:embedding-model</c> (Ollama or an
    /// OpenAI-compatible server) or else the local MiniLM sentence model, and passages in Milvus when <c>ConnectionStrings:milvus</c>
    /// is set or else the embedded index. Malformed connection strings stop start-up here, naming the key.
    /// </summary>
    public static IHostApplicationBuilder AddKnowledge(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<KnowledgeOptions>().Bind(builder.Configuration.GetSection(KnowledgeOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        // Embedding and Milvus calls carry their own per-request timeout (Chatroom:Knowledge:RequestTimeout), which the
        // standard handler's retries and 10 s attempt timeout would override.
        builder.Services.AddHttpClient(HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .WithoutStandardResilience();

        var embedding = builder.Configuration.GetConnectionString(EmbeddingModelConnection.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(embedding))
        {
            builder.Services.AddSingleton(sp => new LocalEmbeddingGenerator(sp.GetRequiredService<ILogger<LocalEmbeddingGenerator>>()));
            builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => sp.GetRequiredService<LocalEmbeddingGenerator>());
        }
        else
        {
            var connection = EmbeddingModelConnection.Parse(embedding);
            builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp =>
            {
                var options = sp.GetRequiredService<IOptions<KnowledgeOptions>>().Value;
                var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
                var metrics = sp.GetService<LlmMetrics>();
                return connection.IsOpenAi
                    ? new OpenAiEmbeddingGenerator(http, connection.Endpoint, connection.Model, connection.Key, options.EmbeddingBatchSize, options.RequestTimeout, metrics)
                    : new OllamaEmbeddingGenerator(http, connection.Endpoint, connection.Model, options.EmbeddingBatchSize, options.RequestTimeout, metrics);
            });
        }

        var milvus = builder.Configuration.GetConnectionString(MilvusConnection.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(milvus))
        {
            builder.Services.AddSingleton<KnowledgeCollection, LocalVectorIndex>();
        }
        else
        {
            var connection = MilvusConnection.Parse(milvus);
            builder.Services.AddSingleton<KnowledgeCollection>(sp =>
            {
                var options = sp.GetRequiredService<IOptions<KnowledgeOptions>>().Value;
                return new MilvusVectorStore(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName), connection, options.Collection,
                    options.RequestTimeout, sp.GetRequiredService<ILogger<MilvusVectorStore>>());
            });
        }

        builder.Services.AddSingleton<IKnowledgeBase, KnowledgeBase>();
        builder.Services.AddHostedService<KnowledgeBackendReport>();
        builder.Services.AddHostedService<KnowledgeReindexer>();
        return builder;
    }

    /// <summary>Says at start-up which embedder and which vector store the knowledge base uses.</summary>
    private sealed class KnowledgeBackendReport(
        IEmbeddingGenerator<string, Embedding<float>> embedder,
        KnowledgeCollection store,
        IOptions<KnowledgeOptions> options,
        ILogger<KnowledgeBackendReport> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var metadata = embedder.GetService<EmbeddingGeneratorMetadata>();
            logger.LogKnowledgeBackend("embeddings", embedder.GetType().Name,
                $"provider {metadata?.ProviderName ?? "none"}, model {metadata?.DefaultModelId ?? "none"}, endpoint {metadata?.ProviderUri?.ToString() ?? "none"}");
            logger.LogKnowledgeBackend("vector store", store.GetType().Name, store is MilvusVectorStore milvus
                ? $"collection {options.Value.Collection}, {milvus.Connection}"
                : "in-process index persisted to knowledge.jsonl in the data directory");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
