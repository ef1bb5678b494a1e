namespace Chatroom.Moderation.Trainer;

/// <summary>
/// One task's figure (macro-recall for mood, macro-F1 for offensive and hate) on one set of rows, by the first tier
/// alone and with the second stage, and the share of the rows that reached the second stage.
/// </summary>
public sealed record StageFigures(double FirstTier, double Combined, double Share, int Count);
