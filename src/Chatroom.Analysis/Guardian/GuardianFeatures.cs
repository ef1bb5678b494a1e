namespace Chatroom.Analysis.Guardian;

/// <summary>
/// What the scorer read from a conversation before combining it: one value per <see cref="GuardianSignals.All"/> (0–1) and,
/// per message signal, the older party's lines that scored for it, strongest first. <see cref="MinorPresent"/> is false
/// when every participant is an adult (or of unknown age): no case opens then, whatever the score.
/// </summary>
public sealed record GuardianFeatures(IReadOnlyList<double> Values, IReadOnlyDictionary<string, IReadOnlyList<string>> Evidence, bool MinorPresent);
