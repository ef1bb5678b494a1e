using System.Text.Json.Serialization;

namespace Chatroom.Analysis.Moderation;

/// <summary>
/// The moderation result for one message. Serialised camelCase (System.Text.Json web defaults):
/// <c>{"mood":"happy","moodScore":0.8,"safety":"safe","unsafeScore":0.01,"categories":[],"tier":"embedded",...}</c>.
/// </summary>
public sealed record ModerationVerdict
{
    public const string FallbackLlmFailed = "llm_failed";
    public const string FallbackCircuitOpen = "circuit_open";

    /// <summary>happy, neutral or sad (<see cref="Moods"/>).</summary>
    public required string Mood { get; init; }

    /// <summary>-1 (very negative) .. 1 (very positive).</summary>
    public required double MoodScore { get; init; }

    /// <summary>safe or unsafe.</summary>
    public required string Safety { get; init; }

    /// <summary>Probability that the message is unsafe, 0..1.</summary>
    public required double UnsafeScore { get; init; }

    /// <summary>Safety categories (<see cref="SafetyCategories"/>); empty when safe.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>embedded or llm: which tier decided.</summary>
    public required string Tier { get; init; }

    /// <summary>Calibrated probability that the safety label is right.</summary>
    public required double Confidence { get; init; }

    /// <summary>Calibrated probability that the mood label is right.</summary>
    public required double MoodConfidence { get; init; }

    /// <summary>The model that decided, when the LLM tier did.</summary>
    public string? Model { get; init; }

    /// <summary>
    /// Set when policy asked the LLM tier but the embedded verdict stands because the model gave no answer:
    /// <see cref="FallbackLlmFailed"/> (error, timeout or unusable answer) or <see cref="FallbackCircuitOpen"/> (not asked).
    /// </summary>
    public string? Fallback { get; init; }

    /// <summary>
    /// The embedded tier's score per category, in <see cref="SafetyCategories.All"/> order (empty from the model tiers):
    /// what the escalation policy's uncertain bands read. Not serialised.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<double> CategoryScores { get; init; } = [];

    [JsonIgnore]
    public bool IsUnsafe => Safety == SafetyLabels.Unsafe;
}
