using System.ComponentModel.DataAnnotations;

namespace Chatroom.Analysis.Agents;

/// <summary><c>Chatroom:Agents</c>.</summary>
public sealed class AgentOptions
{
    public const string Section = "Chatroom:Agents";

    /// <summary>The analysis model's confidence an intent route needs.</summary>
    [Range(0.0, 1.0)]
    public double IntentThreshold { get; set; } = 0.7;

    /// <summary>How long intent routing may take before the message is left unrouted.</summary>
    public TimeSpan IntentTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
