namespace Chatroom.Analysis.Knowledge;

/// <summary>One embedded passage.</summary>
public sealed record VectorRecord(string Id, string DocumentId, string Title, string Text, float[] Vector);

/// <summary>A vector store: the embedded index, or Milvus.</summary>
public interface IVectorStore
{
    Task UpsertAsync(IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken);

    /// <summary>The <paramref name="k"/> records most similar (cosine) to <paramref name="vector"/>, best first.</summary>
    Task<IReadOnlyList<(VectorRecord Record, double Score)>> SearchAsync(float[] vector, int k, CancellationToken cancellationToken);
}
