namespace Chatroom.Analysis.Moderation.Llm;

/// <summary>The policy model's decision about a message: whether it breaks the rules, which rule, and why in one sentence.</summary>
public sealed record PolicyDecision(bool Violates, string? Rule, string Reason, string Model);
