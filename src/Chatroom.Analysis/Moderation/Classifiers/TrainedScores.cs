namespace Chatroom.Analysis.Moderation.Classifiers;

/// <summary>
/// Calibrated outputs of <see cref="TrainedModel"/>: mood probabilities (summing to 1), the chosen mood class
/// (<see cref="TrainedModel.MoodSad"/>, <see cref="TrainedModel.MoodNeutral"/> or <see cref="TrainedModel.MoodHappy"/>),
/// and the probabilities that the message is offensive and that it is hate speech.
/// </summary>
public readonly record struct TrainedScores(double Sad, double Neutral, double Happy, int MoodClass, double Offensive, double Hate)
{
    public double MoodProbability(int moodClass) => moodClass switch
    {
        TrainedModel.MoodSad => Sad,
        TrainedModel.MoodNeutral => Neutral,
        _ => Happy,
    };
}
