namespace Chatroom.Analysis.Knowledge;

/// <summary>The embedding model or the vector store failed, timed out or answered something unusable.</summary>
public class KnowledgeBackendException(string message, Exception? innerException = null) : Exception(message, innerException);
