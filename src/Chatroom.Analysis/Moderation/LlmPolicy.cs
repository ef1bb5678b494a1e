namespace Chatroom.Analysis.Moderation;

/// <summary>When the cascade consults the LLM tier.</summary>
public enum LlmPolicy
{
    /// <summary>Embedded tier only.</summary>
    Never,

    /// <summary>The LLM decides when the embedded tier's confidence is below the thresholds (default).</summary>
    WhenUncertain,

    /// <summary>The LLM decides every message it can answer.</summary>
    Always,
}
