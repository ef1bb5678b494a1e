namespace Chatroom.Analysis.Moderation.Classifiers;

/// <summary>
/// How <see cref="EmbeddingHeads"/> joins the first tier, per head, all fitted by the trainer on its validation split:
/// the uncertain band (which first-tier scores reach the second stage), the weights of the first tier's calibrated
/// log-odds and of the embedding head's logit in the combined score (a logistic or softmax fitted for log-loss), and the
/// combined score's decision rule (threshold, or decision offsets for balanced mood recall).
/// </summary>
public sealed record SecondStageCalibration
{
    /// <summary>Mood reaches the second stage when the first tier's most probable class has a probability below this (0: never).</summary>
    public double MoodBand { get; init; }

    public double MoodFirstWeight { get; init; } = 1;

    public double MoodSecondWeight { get; init; }

    /// <summary>Added to the combined mood logits (sad, neutral, happy) before the softmax.</summary>
    public double[] MoodOffsets { get; init; } = [0, 0, 0];

    /// <summary>Added to the combined log-probabilities when choosing the mood label (balanced recall).</summary>
    public double[] MoodDecision { get; init; } = [0, 0, 0];

    public BinaryStage Offensive { get; init; } = BinaryStage.Never;

    public BinaryStage Hate { get; init; } = BinaryStage.Never;

    internal void Write(BinaryWriter writer)
    {
        writer.Write(MoodBand);
        writer.Write(MoodFirstWeight);
        writer.Write(MoodSecondWeight);
        foreach (var value in MoodOffsets.Concat(MoodDecision))
        {
            writer.Write(value);
        }

        Offensive.Write(writer);
        Hate.Write(writer);
    }

    internal static SecondStageCalibration Read(BinaryReader reader) => new()
    {
        MoodBand = reader.ReadDouble(),
        MoodFirstWeight = reader.ReadDouble(),
        MoodSecondWeight = reader.ReadDouble(),
        MoodOffsets = [reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble()],
        MoodDecision = [reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble()],
        Offensive = BinaryStage.Read(reader),
        Hate = BinaryStage.Read(reader),
    };
}
