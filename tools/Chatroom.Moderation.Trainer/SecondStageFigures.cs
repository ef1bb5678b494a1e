namespace Chatroom.Moderation.Trainer;

/// <summary>The second stage's figures on the own validation split and on the provided validation files (null when absent).</summary>
public sealed record SecondStageFigures(
    StageFigures Mood,
    StageFigures Offensive,
    StageFigures Hate,
    StageFigures? ProvidedMood,
    StageFigures? ProvidedOffensive,
    StageFigures? ProvidedHate)
{
    /// <summary>Share of the own validation rows (all three tasks together) that reach the second stage.</summary>
    public double Share => ((Mood.Share * Mood.Count) + (Offensive.Share * Offensive.Count) + (Hate.Share * Hate.Count)) / Math.Max(1, Mood.Count + Offensive.Count + Hate.Count);
}
