using System.ComponentModel.DataAnnotations;

namespace Chatroom.Analysis.Moderation.Llm;

/// <summary>Resilience and batching for the LLM tier (configuration section <c>Moderation:Llm</c>).</summary>
public sealed class LlmModeratorOptions
{
    public const string SectionName = "Moderation:Llm";

    /// <summary>Time allowed for one attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Time allowed for a whole request, retries included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:30:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(45);

    [Range(0, 5)]
    public int MaxRetries { get; set; } = 2;

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Failure ratio over <see cref="BreakerSamplingDuration"/> that opens the circuit.</summary>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    [Range(2, 1000)]
    public int BreakerMinimumThroughput { get; set; } = 4;

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages classified in one request.</summary>
    [Range(1, 64)]
    public int BatchSize { get; set; } = 8;

    /// <summary>Preceding room messages sent as context.</summary>
    [Range(0, 50)]
    public int ContextMessages { get; set; } = 4;

    [Range(16, 32768)]
    public int MaxOutputTokens { get; set; } = 1024;
}
