using Microsoft.Extensions.AI;

namespace Chatroom.Analysis.Moderation.Llm;

/// <summary>One request to a safety model; <paramref name="Category"/> is the category a Yes means (null for multi-category answers).</summary>
internal sealed record SafetyQuestion(IReadOnlyList<ChatMessage> Messages, string? Risk, string? Category);
