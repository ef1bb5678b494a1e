using System.IO.Compression;
using System.Reflection;
using System.Text;

namespace Chatroom.Analysis.Moderation.Classifiers;

/// <summary>
/// The embedded tier's second stage: linear heads (mood softmax, offensive, hate) on the all-MiniLM-L6-v2 sentence
/// embedding of the message (384 dimensions), for messages the first tier (<see cref="TrainedModel"/>) is unsure about.
/// Each head's combined score joins the first tier's calibrated score with its own logit (<see cref="SecondStageCalibration"/>).
/// Weights come from tools/Chatroom.Moderation.Trainer (Lexicons/embedding_heads.bin.gz; figures in docs/moderation.md).
/// </summary>
public sealed class EmbeddingHeads
{
    /// <summary>The sentence model the heads were trained on; vectors from any other model mean nothing to them.</summary>
    public const string EmbeddingModel = "all-MiniLM-L6-v2";

    public const int Dimensions = 384;

    private const uint Magic = 0x48454352; // "RCEH"
    private const int Version = 1;
    private const string ResourceName = "Chatroom.Analysis.Lexicons.embedding_heads.bin.gz";

    private static readonly Lazy<EmbeddingHeads> DefaultInstance = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded second-stage model '{ResourceName}' is missing.");
        return Read(stream);
    });

    private readonly float[] _weights;
    private readonly float[] _bias;

    /// <param name="weights">Dimension-major: <c>weights[d * Outputs + output]</c>, outputs as in <see cref="TrainedModel"/>.</param>
    /// <param name="bias">One intercept per output.</param>
    /// <param name="calibration">Bands and combination fitted on the validation split.</param>
    public EmbeddingHeads(float[] weights, float[] bias, SecondStageCalibration calibration)
    {
        if (weights.Length != Dimensions * TrainedModel.Outputs || bias.Length != TrainedModel.Outputs)
        {
            throw new ArgumentException($"Expected {Dimensions * TrainedModel.Outputs} weights and {TrainedModel.Outputs} intercepts.", nameof(weights));
        }

        _weights = weights;
        _bias = bias;
        Calibration = calibration;
    }

    public static EmbeddingHeads Default => DefaultInstance.Value;

    public SecondStageCalibration Calibration { get; }

    /// <summary>Whether any head of the first tier's scores lies in its uncertain band, i.e. the message reaches this stage.</summary>
    public bool IsUncertain(in TrainedScores first) =>
        Math.Max(first.Sad, Math.Max(first.Neutral, first.Happy)) < Calibration.MoodBand
        || Calibration.Offensive.InBand(first.Offensive)
        || Calibration.Hate.InBand(first.Hate);

    /// <summary>Raw logits of the heads on one embedding.</summary>
    public void Logits(ReadOnlySpan<float> embedding, Span<double> logits)
    {
        if (embedding.Length != Dimensions)
        {
            throw new ArgumentException($"Expected a {Dimensions}-dimensional {EmbeddingModel} vector, got {embedding.Length}.", nameof(embedding));
        }

        Span<float> sums = stackalloc float[TrainedModel.Outputs];
        _bias.CopyTo(sums);
        var weights = _weights;
        for (var d = 0; d < Dimensions; d++)
        {
            var at = d * TrainedModel.Outputs;
            var v = embedding[d];
            sums[0] += weights[at] * v;
            sums[1] += weights[at + 1] * v;
            sums[2] += weights[at + 2] * v;
            sums[3] += weights[at + 3] * v;
            sums[4] += weights[at + 4] * v;
        }

        for (var o = 0; o < TrainedModel.Outputs; o++)
        {
            logits[o] = sums[o];
        }
    }

    /// <summary>
    /// The first tier's scores with every head that lies in its band replaced by the combined score. The mood
    /// probabilities returned are tilted by the difference between this stage's decision offsets and the first tier's
    /// (<paramref name="firstDecision"/>), so a caller that adds the first tier's offsets picks this stage's label.
    /// </summary>
    public TrainedScores Refine(in TrainedScores first, ReadOnlySpan<float> embedding, IReadOnlyList<double> firstDecision)
    {
        Span<double> logits = stackalloc double[TrainedModel.Outputs];
        Logits(embedding, logits);
        var c = Calibration;
        var refined = first;
        if (Math.Max(first.Sad, Math.Max(first.Neutral, first.Happy)) < c.MoodBand)
        {
            Span<double> mood = [first.Sad, first.Neutral, first.Happy];
            Span<double> combined = stackalloc double[3];
            CombineMood(c, mood, logits[..3], combined);
            var best = 0;
            for (var k = 1; k < 3; k++)
            {
                if (Math.Log(combined[k]) + c.MoodDecision[k] > Math.Log(combined[best]) + c.MoodDecision[best])
                {
                    best = k;
                }
            }

            var total = 0.0;
            for (var k = 0; k < 3; k++)
            {
                combined[k] *= Math.Exp(c.MoodDecision[k] - firstDecision[k]);
                total += combined[k];
            }

            refined = refined with { Sad = combined[0] / total, Neutral = combined[1] / total, Happy = combined[2] / total, MoodClass = best };
        }

        if (c.Offensive.InBand(first.Offensive))
        {
            refined = refined with { Offensive = c.Offensive.Combine(first.Offensive, logits[TrainedModel.Offensive]) };
        }

        if (c.Hate.InBand(first.Hate))
        {
            refined = refined with { Hate = c.Hate.Combine(first.Hate, logits[TrainedModel.Hate]) };
        }

        return refined;
    }

    /// <summary>Combined mood probabilities: softmax of FirstWeight·log p₁ + SecondWeight·z₂ + offsets.</summary>
    public static void CombineMood(SecondStageCalibration calibration, ReadOnlySpan<double> firstProbabilities, ReadOnlySpan<double> secondLogits, Span<double> probabilities)
    {
        var max = double.NegativeInfinity;
        for (var k = 0; k < 3; k++)
        {
            probabilities[k] = (calibration.MoodFirstWeight * Math.Log(Math.Max(firstProbabilities[k], 1e-12)))
                + (calibration.MoodSecondWeight * secondLogits[k]) + calibration.MoodOffsets[k];
            max = Math.Max(max, probabilities[k]);
        }

        var total = 0.0;
        for (var k = 0; k < 3; k++)
        {
            probabilities[k] = Math.Exp(probabilities[k] - max);
            total += probabilities[k];
        }

        for (var k = 0; k < 3; k++)
        {
            probabilities[k] /= total;
        }
    }

    public void Write(Stream destination)
    {
        using var zip = new GZipStream(destination, CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new BinaryWriter(zip, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(EmbeddingModel);
        writer.Write(Dimensions);
        writer.Write(TrainedModel.Outputs);
        foreach (var b in _bias)
        {
            writer.Write(b);
        }

        foreach (var w in _weights)
        {
            writer.Write(w);
        }

        Calibration.Write(writer);
    }

    public static EmbeddingHeads Read(Stream source)
    {
        using var zip = new GZipStream(source, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new BinaryReader(zip, Encoding.UTF8, leaveOpen: true);
        if (reader.ReadUInt32() != Magic || reader.ReadInt32() != Version)
        {
            throw new InvalidDataException("Not a second-stage moderation model of this version.");
        }

        var model = reader.ReadString();
        var dimensions = reader.ReadInt32();
        var outputs = reader.ReadInt32();
        if (model != EmbeddingModel || dimensions != Dimensions || outputs != TrainedModel.Outputs)
        {
            throw new InvalidDataException($"The heads were trained on {model} ({dimensions} dimensions, {outputs} outputs); the runtime uses {EmbeddingModel} ({Dimensions}, {TrainedModel.Outputs}).");
        }

        var bias = new float[TrainedModel.Outputs];
        for (var o = 0; o < bias.Length; o++)
        {
            bias[o] = reader.ReadSingle();
        }

        var weights = new float[Dimensions * TrainedModel.Outputs];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = reader.ReadSingle();
        }

        return new EmbeddingHeads(weights, bias, SecondStageCalibration.Read(reader));
    }
}
