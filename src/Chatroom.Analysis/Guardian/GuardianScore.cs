namespace Chatroom.Analysis.Guardian;

/// <summary>One signal's strength (0–1) in a conversation, with the lines that show it (message signals only).</summary>
public sealed record GuardianSignalScore(string Name, double Score, IReadOnlyList<string> Evidence);

/// <summary>
/// The conversation's calibrated score (0–1, a probability on the dev split), its signals strongest first, and whether it
/// would open a case: a minor is in it and the score reaches the threshold.
/// </summary>
public sealed record GuardianScore(double Score, IReadOnlyList<GuardianSignalScore> Signals, bool WouldOpenCase);
