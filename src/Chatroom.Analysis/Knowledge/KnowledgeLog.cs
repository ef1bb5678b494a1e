namespace Chatroom.Analysis.Knowledge;

/// <summary>The knowledge base's log messages (event ids 53xx).</summary>
internal static partial class KnowledgeLog
{
    [LoggerMessage(EventId = 5301, Level = LogLevel.Information, Message = "Knowledge base: port {Port} uses {Implementation} ({Detail})")]
    public static partial void LogKnowledgeBackend(this ILogger logger, string port, string implementation, string detail);

    [LoggerMessage(EventId = 5304, Level = LogLevel.Warning, Message = "Knowledge base request failed: its embedding model or vector store is unavailable")]
    public static partial void LogKnowledgeBackendFailed(this ILogger logger, Exception exception);
}
