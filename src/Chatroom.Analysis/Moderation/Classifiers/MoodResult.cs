namespace Chatroom.Analysis.Moderation.Classifiers;

/// <summary>The embedded mood classifier's output: label, score and the calibrated probability of the label.</summary>
public sealed record MoodResult(string Mood, double Score, double Confidence)
{
    /// <summary>The lexicon (VADER) compound alone, which the safety rules read as the message's tone.</summary>
    public double LexiconScore { get; init; }

    /// <summary>The trained model's calibrated outputs for the message, which the safety side reads too.</summary>
    public TrainedScores Trained { get; init; }
}
