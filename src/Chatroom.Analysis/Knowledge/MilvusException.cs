namespace Chatroom.Analysis.Knowledge;

/// <summary>Milvus answered with a non-zero <c>code</c> in its <c>{"code","message"}</c> envelope.</summary>
public sealed class MilvusException(string operation, int code, string message)
    : KnowledgeBackendException($"Milvus refused {operation} (code {code}): {message}")
{
    /// <summary>Milvus's error code, e.g. 100 (collection not found), 1800 (not authenticated), 1804 (bad insert data).</summary>
    public int Code { get; } = code;

    public string Operation { get; } = operation;
}
