using System.ComponentModel.DataAnnotations;

namespace Chatroom.Analysis.Moderation;

/// <summary>Global cascade policy (configuration section <c>Moderation</c>); rooms may override <see cref="Llm"/>.</summary>
public sealed class ModerationOptions
{
    public const string SectionName = "Moderation";

    public LlmPolicy Llm { get; set; } = LlmPolicy.WhenUncertain;

    /// <summary>Below this safety confidence the embedded verdict counts as uncertain.</summary>
    [Range(0.5, 1.0)]
    public double SafetyConfidenceThreshold { get; set; } = 0.8;

    /// <summary>Below this mood confidence the embedded verdict counts as uncertain; 0 ignores mood.</summary>
    [Range(0.0, 1.0)]
    public double MoodConfidenceThreshold { get; set; } = 0.45;
}
