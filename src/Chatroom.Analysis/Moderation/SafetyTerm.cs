namespace Chatroom.Analysis.Moderation;

/// <summary>A safety lexicon entry: a phrase of normalised tokens with a weight.</summary>
public sealed record SafetyTerm(string[] Tokens, SafetyTermKind Kind, double Weight);
