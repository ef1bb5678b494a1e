namespace Chatroom.Analysis.Moderation.Classifiers;

/// <summary>
/// The second stage of one yes/no head (offensive, hate): first-tier probabilities in [<see cref="BandLow"/>,
/// <see cref="BandHigh"/>] are uncertain; for those p = σ(FirstWeight·logit(p₁) + SecondWeight·z₂ + Offset), where z₂ is
/// the embedding head's logit, and the message counts as positive from <see cref="Threshold"/>.
/// </summary>
public sealed record BinaryStage(double BandLow, double BandHigh, double FirstWeight, double SecondWeight, double Offset, double Threshold)
{
    /// <summary>An empty band: the head never reaches the second stage.</summary>
    public static BinaryStage Never { get; } = new(1, 0, 1, 0, 0, 0.5);

    public bool InBand(double firstProbability) => firstProbability >= BandLow && firstProbability <= BandHigh;

    /// <summary>The combined probability from the first tier's calibrated probability and the embedding head's logit.</summary>
    public double Combine(double firstProbability, double secondLogit) =>
        Sigmoid((FirstWeight * Logit(firstProbability)) + (SecondWeight * secondLogit) + Offset);

    public static double Logit(double probability)
    {
        var p = Math.Clamp(probability, 1e-6, 1 - 1e-6);
        return Math.Log(p / (1 - p));
    }

    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    internal void Write(BinaryWriter writer)
    {
        writer.Write(BandLow);
        writer.Write(BandHigh);
        writer.Write(FirstWeight);
        writer.Write(SecondWeight);
        writer.Write(Offset);
        writer.Write(Threshold);
    }

    internal static BinaryStage Read(BinaryReader reader) =>
        new(reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble());
}
