using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Knowledge;

/// <summary>
/// Chunks, embeds and stores documents; embeds queries and searches the vector store. When the local embedding model
/// is unavailable, passages are stored without a vector (the re-indexer embeds them once a model works) and search
/// falls back to words over the embedded index.
/// </summary>
public sealed partial class KnowledgeBase(
    IEmbeddingGenerator<string, Embedding<float>> embedder,
    KnowledgeCollection store,
    TimeProvider time,
    IOptions<KnowledgeOptions> options,
    ILogger<KnowledgeBase>? logger = null) : IKnowledgeBase
{
    public async Task<KnowledgeDocument> AddAsync(string title, string text, CancellationToken cancellationToken)
    {
        var chunks = KnowledgeChunker.Chunk(text);
        var max = options.Value.MaxChunksPerDocument;
        if (chunks.Count > max)
        {
            throw new KnowledgeLimitException($"the document makes {chunks.Count} passages; at most {max} are accepted per document");
        }

        var id = "doc-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(title + "\n" + text)))[..16];
        float[][] vectors;
        try
        {
            var embeddings = await embedder.GenerateAsync(chunks.Select(c => PassageText(title, c)), cancellationToken: cancellationToken);
            if (embeddings.Count != chunks.Count)
            {
                throw new KnowledgeBackendException($"the embedder returned {embeddings.Count} embeddings for {chunks.Count} passages");
            }

            vectors = embeddings.Select(e => e.Vector.ToArray()).ToArray();
        }
        catch (EmbeddingUnavailableException e) when (store is LocalVectorIndex)
        {
            LogStoredWithoutVectors(logger ?? NullLogger<KnowledgeBase>.Instance, title, e.Message);
            vectors = chunks.Select(_ => Array.Empty<float>()).ToArray();
        }

        var records = chunks.Select((chunk, i) => new VectorRecord($"{id}-{i}", id, title, chunk, vectors[i])).ToList();
        await store.UpsertAsync(records, cancellationToken);
        return new KnowledgeDocument(id, title, chunks.Count, time.GetUtcNow());
    }

    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int k, CancellationToken cancellationToken)
    {
        IReadOnlyList<(VectorRecord Record, double Score)> hits;
        try
        {
            var vector = (await embedder.GenerateAsync([query], cancellationToken: cancellationToken))[0].Vector.ToArray();
            hits = await store.SearchAsync(vector, k, cancellationToken);
        }
        catch (EmbeddingUnavailableException) when (store is LocalVectorIndex embedded)
        {
            hits = embedded.SearchWords(query, k);
        }

        return hits.Select(h => new KnowledgeHit(h.Record.DocumentId, h.Record.Title, h.Record.Text, Math.Round(h.Score, 4))).ToList();
    }

    /// <summary>The text a passage is embedded as: its title, then the passage.</summary>
    public static string PassageText(string title, string chunk) => $"{title}\n{chunk}";

    [LoggerMessage(EventId = 5603, Level = LogLevel.Warning, Message = "Knowledge document {Title} stored without vectors ({Reason}); word search finds it, the re-indexer embeds it once a model loads")]
    private static partial void LogStoredWithoutVectors(ILogger logger, string title, string reason);
}
