namespace Chatroom.Analysis.Moderation.Classifiers;

/// <summary>
/// Logistic (Platt) calibration constants, fitted by minimising log-loss on the development set
/// (see docs/moderation.md and DevSetEvaluationTests, which prints a refit).
/// </summary>
public static class Calibration
{
    /// <summary>Slope and offset mapping a safety category's evidence to a probability.</summary>
    public const double SafetySlope = 1.7;
    public const double SafetyOffset = -3.2;

    /// <summary>Sharpness of the mood softmax over the mood score, and the neutral band's half-width.</summary>
    public const double MoodSharpness = 9.0;
    public const double MoodNeutralBand = 0.4;

    /// <summary>
    /// Weight of the trained word features against the lexicon at run time. The words were learnt from product and
    /// film reviews, where every sentence is polar; at full weight they push neutral chat to a pole.
    /// </summary>
    public const double MoodWordScale = 0.5;

    /// <summary>
    /// Default share of the tweet-trained model in the mood blend (log space; <see cref="ModerationOptions.TrainedMoodWeight"/>
    /// configures the service's); the rest is the lexicon reading. Sweep in docs/moderation.md.
    /// </summary>
    public const double TrainedMoodWeight = 0.7;

    /// <summary>Lexicon compound from which a message reads as happy enough that trained offensive/hate scores do not count.</summary>
    public const double TrainedSafetyHappyCutoff = 0.5;

    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));
}
