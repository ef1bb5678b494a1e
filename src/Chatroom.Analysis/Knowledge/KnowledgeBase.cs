using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Knowledge;

/// <summary>Chunks, embeds and stores documents; embeds queries and searches the vector store.</summary>
public sealed class KnowledgeBase(IEmbeddingGenerator<string, Embedding<float>> embedder, IVectorStore store, TimeProvider time, IOptions<KnowledgeOptions> options) : IKnowledgeBase
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
        var embeddings = await embedder.GenerateAsync(chunks.Select(c => $"{title}\n{c}"), cancellationToken: cancellationToken);
        if (embeddings.Count != chunks.Count)
        {
            throw new KnowledgeBackendException($"the embedder returned {embeddings.Count} embeddings for {chunks.Count} passages");
        }

        var records = chunks.Select((chunk, i) => new VectorRecord($"{id}-{i}", id, title, chunk, embeddings[i].Vector.ToArray())).ToList();
        await store.UpsertAsync(records, cancellationToken);
        return new KnowledgeDocument(id, title, chunks.Count, time.GetUtcNow());
    }

    public async Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int k, CancellationToken cancellationToken)
    {
        var vector = (await embedder.GenerateAsync([query], cancellationToken: cancellationToken))[0].Vector.ToArray();
        var hits = await store.SearchAsync(vector, k, cancellationToken);
        return hits.Select(h => new KnowledgeHit(h.Record.DocumentId, h.Record.Title, h.Record.Text, Math.Round(h.Score, 4))).ToList();
    }
}
