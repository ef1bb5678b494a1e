namespace Chatroom.Analysis.Moderation.Llm;

/// <summary>The safety judge's decision about one message.</summary>
public sealed record SafetyJudgement(bool IsUnsafe, double UnsafeScore, IReadOnlyList<string> Categories, string Model);
