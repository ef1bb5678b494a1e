namespace Chatroom.Analysis.Moderation.Classifiers;

/// <summary>
/// What the trainer fitted on its validation split after training the heads: a temperature and per-class offsets
/// for the mood softmax (so its probabilities match observed frequencies), decision offsets that trade the class prior
/// for balanced recall, and a Platt slope and offset plus the macro-F1-best threshold for each safety head.
/// </summary>
public sealed record TrainedCalibration
{
    public double MoodTemperature { get; init; } = 1;

    /// <summary>Added to the tempered mood logits (sad, neutral, happy) before the softmax.</summary>
    public double[] MoodOffsets { get; init; } = [0, 0, 0];

    /// <summary>Added to the calibrated log-probabilities when choosing the mood label; 0 picks the most probable.</summary>
    public double[] MoodDecision { get; init; } = [0, 0, 0];

    public double OffensiveSlope { get; init; } = 1;

    public double OffensiveOffset { get; init; }

    /// <summary>p(offensive) at which the validation split's macro-F1 peaked.</summary>
    public double OffensiveThreshold { get; init; } = 0.5;

    public double HateSlope { get; init; } = 1;

    public double HateOffset { get; init; }

    /// <summary>p(hate) at which the validation split's macro-F1 peaked.</summary>
    public double HateThreshold { get; init; } = 0.5;

    /// <summary>Calibrated scores from the raw logits (<see cref="TrainedModel.Outputs"/> of them).</summary>
    public TrainedScores Apply(ReadOnlySpan<double> logits)
    {
        Span<double> mood = stackalloc double[3];
        var max = double.NegativeInfinity;
        for (var c = 0; c < 3; c++)
        {
            mood[c] = (logits[c] / MoodTemperature) + MoodOffsets[c];
            max = Math.Max(max, mood[c]);
        }

        var total = 0.0;
        for (var c = 0; c < 3; c++)
        {
            mood[c] = Math.Exp(mood[c] - max);
            total += mood[c];
        }

        var best = 0;
        var bestScore = double.NegativeInfinity;
        for (var c = 0; c < 3; c++)
        {
            mood[c] /= total;
            var score = Math.Log(mood[c]) + MoodDecision[c];
            if (score > bestScore)
            {
                bestScore = score;
                best = c;
            }
        }

        return new TrainedScores(
            mood[0],
            mood[1],
            mood[2],
            best,
            Sigmoid((OffensiveSlope * logits[TrainedModel.Offensive]) + OffensiveOffset),
            Sigmoid((HateSlope * logits[TrainedModel.Hate]) + HateOffset));
    }

    internal void Write(BinaryWriter writer)
    {
        writer.Write(MoodTemperature);
        foreach (var value in MoodOffsets.Concat(MoodDecision))
        {
            writer.Write(value);
        }

        writer.Write(OffensiveSlope);
        writer.Write(OffensiveOffset);
        writer.Write(OffensiveThreshold);
        writer.Write(HateSlope);
        writer.Write(HateOffset);
        writer.Write(HateThreshold);
    }

    internal static TrainedCalibration Read(BinaryReader reader) => new()
    {
        MoodTemperature = reader.ReadDouble(),
        MoodOffsets = [reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble()],
        MoodDecision = [reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble()],
        OffensiveSlope = reader.ReadDouble(),
        OffensiveOffset = reader.ReadDouble(),
        OffensiveThreshold = reader.ReadDouble(),
        HateSlope = reader.ReadDouble(),
        HateOffset = reader.ReadDouble(),
        HateThreshold = reader.ReadDouble(),
    };

    private static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));
}
