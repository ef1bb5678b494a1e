using System.Numerics.Tensors;
using Chatroom.Analysis.Agents;
using Microsoft.Extensions.AI;

namespace Chatroom.Analysis.Knowledge;

/// <summary>
/// Embeddings with no model: word unigrams and bigrams (and the words' 4-character prefixes, a cheap stemmer) hashed
/// into <see cref="Dimensions"/> signed buckets with log-scaled counts, L2-normalised. Lexical, not semantic, but it
/// ranks passages that share a question's words well enough to make the knowledge base useful offline.
/// </summary>
public sealed class HashingEmbedder : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int Dimensions = 1024;

    private static readonly HashSet<string> StopWords =
    [
        "the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "for", "is", "are", "was", "were", "be", "it", "this", "that", "with",
        "as", "by", "from", "what", "how", "who", "when", "where", "why", "do", "does", "can", "i", "you", "we", "my", "your",
    ];

    private readonly EmbeddingGeneratorMetadata _metadata = new("hashing", null, "hashing-1024", Dimensions);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(Embed(v)))));

    public static float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        var words = AgentRouter.Words(text).Where(w => !StopWords.Contains(w)).ToArray();
        for (var i = 0; i < words.Length; i++)
        {
            Add(vector, words[i], 1f);
            if (words[i].Length > 5)
            {
                Add(vector, "~" + words[i][..4], 0.5f);
            }

            if (i + 1 < words.Length)
            {
                Add(vector, words[i] + " " + words[i + 1], 0.7f);
            }
        }

        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = MathF.Sign(vector[i]) * MathF.Log(1 + MathF.Abs(vector[i]));
        }

        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }

        return vector;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata : null;

    public void Dispose()
    {
    }

    private static void Add(float[] vector, string feature, float weight)
    {
        var hash = Fnv1a(feature);
        vector[(int)(hash % Dimensions)] += (hash & 0x8000_0000) == 0 ? weight : -weight;
    }

    private static uint Fnv1a(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
