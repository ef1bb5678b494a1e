using Microsoft.Extensions.AI;

namespace Chatroom.Analysis.Llm;

/// <summary>Creates the <see cref="IChatClient"/> a connection string asks for.</summary>
public static class AnalysisModelClientFactory
{
    public static IChatClient Create(AnalysisModelConnection connection, HttpClient http) => connection.IsOpenAi
        ? new OpenAiCompatibleChatClient(http, connection.Endpoint, connection.Model, connection.Key)
        : new OllamaChatClient(http, connection.Endpoint, connection.Model);
}
