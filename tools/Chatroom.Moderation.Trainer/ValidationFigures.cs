namespace Chatroom.Moderation.Trainer;

/// <summary>
/// Figures of a run: on the trainer's own validation split (which also fitted calibration and thresholds, so they lean
/// optimistic) and on the provided validation files, which training never reads (NaN when a file is absent).
/// </summary>
public sealed record ValidationFigures(
    double MoodMacroRecall,
    double OffensiveMacroF1,
    double HateMacroF1,
    double ProvidedMoodMacroRecall,
    double ProvidedOffensiveMacroF1,
    double ProvidedHateMacroF1);
