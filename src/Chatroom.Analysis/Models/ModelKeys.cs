namespace Chatroom.Analysis.Models;

/// <summary>
/// The service keys of the chat models, each registered once as a keyed <c>IChatClient</c> when its connection
/// string is set (<see cref="ModelServiceCollectionExtensions.AddKeyedModelClient"/>): the keys are the connection string names.
/// </summary>
public static class ModelKeys
{
    /// <summary><c>ConnectionStrings:analysis-model</c>: the small model of the moderation LLM tier and of the concierge.</summary>
    public const string Analysis = AnalysisModelConnection.ConnectionStringName;

    /// <summary><c>ConnectionStrings:reasoning-model</c>: the larger model agents answer with.</summary>
    public const string Reasoning = "reasoning-model";

    /// <summary><c>ConnectionStrings:safety-model</c>: the safety classifier model that judges escalated messages (Llama Guard 3 by default).</summary>
    public const string Safety = "safety-model";

    /// <summary><c>ConnectionStrings:policy-model</c>: the optional policy-following reasoning model that reviews flagged messages.</summary>
    public const string Policy = "policy-model";
}
