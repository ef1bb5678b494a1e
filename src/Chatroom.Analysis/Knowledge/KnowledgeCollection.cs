using System.Linq.Expressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace Chatroom.Analysis.Knowledge;

/// <summary>One embedded passage, a Microsoft.Extensions.VectorData record (the shape of aichatweb's <c>IngestedChunk</c>).</summary>
public sealed record VectorRecord(
    [property: VectorStoreKey] string Id,
    [property: VectorStoreData(IsIndexed = true)] string DocumentId,
    [property: VectorStoreData] string Title,
    [property: VectorStoreData] string Text,
    [property: VectorStoreVector(LocalEmbeddingGenerator.Dimensions, DistanceFunction = DistanceFunction.CosineSimilarity)] float[] Vector);

/// <summary>
/// The knowledge base's vector collection behind Microsoft.Extensions.VectorData's <see cref="VectorStoreCollection{TKey, TRecord}"/>:
/// the embedded index and Milvus (REST v2; no Milvus connector exists for the abstractions) are its two implementations.
/// Searches take a vector (<c>float[]</c>, <c>ReadOnlyMemory&lt;float&gt;</c> or <see cref="Embedding{T}"/>) and score by
/// cosine similarity; passages with a similarity of 0 or less are not hits.
/// </summary>
public abstract class KnowledgeCollection : VectorStoreCollection<string, VectorRecord>
{
    /// <summary>The <paramref name="k"/> records most similar to <paramref name="vector"/>, best first.</summary>
    public async Task<IReadOnlyList<(VectorRecord Record, double Score)>> SearchAsync(float[] vector, int k, CancellationToken cancellationToken)
    {
        var hits = new List<(VectorRecord, double)>();
        await foreach (var hit in SearchAsync(vector, k, null, cancellationToken).ConfigureAwait(false))
        {
            hits.Add((hit.Record, hit.Score ?? 0));
        }

        return hits;
    }

    public override Task UpsertAsync(VectorRecord record, CancellationToken cancellationToken = default) => UpsertAsync([record], cancellationToken);

    public override Task DeleteAsync(string key, CancellationToken cancellationToken = default) => DeleteAsync([key], cancellationToken);

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    /// <summary>The vector a search was given.</summary>
    protected static float[] VectorOf<TInput>(TInput searchValue) => searchValue switch
    {
        float[] array => array,
        ReadOnlyMemory<float> memory => memory.ToArray(),
        Embedding<float> embedding => embedding.Vector.ToArray(),
        _ => throw new NotSupportedException(
            $"Search the knowledge collection with a vector (float[], ReadOnlyMemory<float> or Embedding<float>), not {typeof(TInput).Name}; embed text with the IEmbeddingGenerator first."),
    };

    /// <summary>The search options' filter as a predicate (null when there is none).</summary>
    protected static Func<VectorRecord, bool>? Compile(Expression<Func<VectorRecord, bool>>? filter) => filter?.Compile();
}
