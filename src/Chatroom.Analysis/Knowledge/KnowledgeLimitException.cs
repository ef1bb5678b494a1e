namespace Chatroom.Analysis.Knowledge;

/// <summary>A document is larger than the knowledge base accepts (<c>Chatroom:Knowledge:MaxChunksPerDocument</c>).</summary>
public sealed class KnowledgeLimitException(string message) : Exception(message);
