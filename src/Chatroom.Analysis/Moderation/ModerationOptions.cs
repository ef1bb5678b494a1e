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

    /// <summary>
    /// The trained tier's p(offensive) from which it counts towards harassment (its probability joins the rules' as a
    /// noisy-or). Above the validation split's macro-F1 threshold (0.46) because that data calls all swearing offensive.
    /// </summary>
    [Range(0.0, 1.0)]
    public double OffensiveThreshold { get; set; } = 0.85;

    /// <summary>The trained tier's p(hate) from which it counts towards hate.</summary>
    [Range(0.0, 1.0)]
    public double HateThreshold { get; set; } = 0.8;
}
