namespace Chatroom.Analysis.Models;

/// <summary>
/// The service keys of the two chat models, each registered once as a keyed <c>IChatClient</c> when its connection
/// string is set (<see cref="ModelServiceCollectionExtensions.AddKeyedModelClient"/>): the keys are the connection string names.
/// </summary>
public static class ModelKeys
{
    /// <summary><c>ConnectionStrings:analysis-model</c>: the small model of the moderation LLM tier and of the concierge.</summary>
    public const string Analysis = AnalysisModelConnection.ConnectionStringName;

    /// <summary><c>ConnectionStrings:reasoning-model</c>: the larger model agents answer with.</summary>
    public const string Reasoning = "reasoning-model";
}
