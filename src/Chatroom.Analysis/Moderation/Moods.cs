namespace Chatroom.Analysis.Moderation;

/// <summary>Mood labels as they appear in JSON (positive, neutral and negative as the original product named them).</summary>
public static class Moods
{
    public const string Happy = "happy";
    public const string Neutral = "neutral";
    public const string Sad = "sad";

    public static IReadOnlyList<string> All { get; } = [Happy, Neutral, Sad];
}
