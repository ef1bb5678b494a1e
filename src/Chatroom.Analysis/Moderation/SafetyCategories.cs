namespace Chatroom.Analysis.Moderation;

/// <summary>The safety categories a verdict can carry, as they appear in JSON.</summary>
public static class SafetyCategories
{
    public const string Harassment = "harassment";
    public const string Hate = "hate";
    public const string Sexual = "sexual";
    public const string SelfHarm = "self-harm";
    public const string Violence = "violence";
    public const string Minors = "minors";
    public const string Spam = "spam";

    /// <summary>All categories, in the order the classifiers index them.</summary>
    public static IReadOnlyList<string> All { get; } = [Harassment, Hate, Sexual, SelfHarm, Violence, Minors, Spam];

    public static bool IsKnown(string category) => All.Contains(category, StringComparer.Ordinal);
}
