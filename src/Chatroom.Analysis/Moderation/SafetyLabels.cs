namespace Chatroom.Analysis.Moderation;

/// <summary>Safety labels and tier names as they appear in JSON.</summary>
public static class SafetyLabels
{
    public const string Safe = "safe";
    public const string Unsafe = "unsafe";
    public const string EmbeddedTier = "embedded";
    public const string LlmTier = "llm";
}
