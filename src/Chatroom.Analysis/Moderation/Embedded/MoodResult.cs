namespace Chatroom.Analysis.Moderation.Embedded;

/// <summary>The embedded mood classifier's output: label, VADER-style compound score and the calibrated probability of the label.</summary>
public sealed record MoodResult(string Mood, double Score, double Confidence);
