namespace Chatroom.Analysis.Moderation.Classifiers;

/// <summary>The embedded safety classifier's output; <see cref="CategoryScores"/> follows <see cref="SafetyCategories.All"/>.</summary>
public sealed record SafetyResult(bool IsUnsafe, double UnsafeScore, double Confidence, IReadOnlyList<string> Categories, IReadOnlyList<double> CategoryScores);
