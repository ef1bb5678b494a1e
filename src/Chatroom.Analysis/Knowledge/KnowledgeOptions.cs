using System.ComponentModel.DataAnnotations;

namespace Chatroom.Analysis.Knowledge;

/// <summary>The knowledge base's settings (<c>Chatroom:Knowledge</c>); every key is documented in docs/knowledge.md.</summary>
public sealed class KnowledgeOptions
{
    public const string Section = "Chatroom:Knowledge";

    /// <summary>The Milvus collection holding the passages; created on first use with the embedder's dimension.</summary>
    [Required]
    [RegularExpression("^[A-Za-z_][A-Za-z0-9_]{0,254}$", ErrorMessage = "Chatroom:Knowledge:Collection must start with a letter or underscore and hold only letters, digits and underscores (at most 255).")]
    public string Collection { get; set; } = "chatroom_knowledge";

    /// <summary>A document that cuts into more passages than this is refused (about 800 characters each).</summary>
    [Range(1, 10_000)]
    public int MaxChunksPerDocument { get; set; } = 200;

    /// <summary>Texts sent to the embedding model in one request.</summary>
    [Range(1, 2048)]
    public int EmbeddingBatchSize { get; set; } = 64;

    /// <summary>How long one request to the embedding model or to Milvus may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
