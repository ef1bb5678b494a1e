using System.ComponentModel.DataAnnotations;

namespace Chatroom.Analysis.Agents;

/// <summary><c>Chatroom:Agents</c>.</summary>
public sealed class AgentOptions
{
    public const string Section = "Chatroom:Agents";

    /// <summary>The analysis model's confidence an intent route needs.</summary>
    [Range(0.0, 1.0)]
    public double IntentThreshold { get; set; } = 0.7;

    /// <summary>
    /// The similarity (cosine of sentence embeddings, 0..1) a message needs to a watched topic to count as that topic coming
    /// up, besides containing its words. Calibrated on all-MiniLM-L6-v2: 'pizza' ~ 'who wants pepperoni tonight?' 0.38,
    /// unrelated chat below 0.1 (docs/agents.md).
    /// </summary>
    [Range(0.0, 1.0)]
    public double WatchThreshold { get; set; } = 0.3;

    /// <summary>How long intent routing may take before the message is left unrouted.</summary>
    public TimeSpan IntentTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
