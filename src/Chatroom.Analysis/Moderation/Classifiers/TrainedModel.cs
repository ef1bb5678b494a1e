using System.IO.Compression;
using System.Reflection;
using System.Text;
using Chatroom.Analysis.Moderation.Normalization;

namespace Chatroom.Analysis.Moderation.Classifiers;

/// <summary>
/// The trained tier: linear heads over <see cref="TrainedFeatures"/> for mood (softmax over sad, neutral, happy) and
/// for safety (offensive; hate), each calibrated on the trainer's validation split so scores are probabilities.
/// Weights come from tools/Chatroom.Moderation.Trainer (Lexicons/trained_model.bin.gz; data, command and figures in
/// docs/moderation.md).
/// </summary>
public sealed class TrainedModel
{
    /// <summary>Output columns per slot: mood sad, neutral, happy, then offensive and hate.</summary>
    public const int Outputs = 5;

    public const int MoodSad = 0;
    public const int MoodNeutral = 1;
    public const int MoodHappy = 2;
    public const int Offensive = 3;
    public const int Hate = 4;

    private const uint Magic = 0x4D544352; // "RCTM"
    private const int Version = 1;
    private const string ResourceName = "Chatroom.Analysis.Lexicons.trained_model.bin.gz";

    private static readonly Lazy<TrainedModel> DefaultInstance = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded trained model '{ResourceName}' is missing.");
        return Read(stream);
    });

    private readonly float[] _weights;

    /// <param name="weights">Slot-major: <c>weights[slot * Outputs + output]</c>, <see cref="TrainedFeatures.SlotCount"/> slots.</param>
    /// <param name="bias">One intercept per output.</param>
    /// <param name="calibration">Temperatures, offsets and decision thresholds fitted on the validation split.</param>
    public TrainedModel(float[] weights, float[] bias, TrainedCalibration calibration)
    {
        if (weights.Length != TrainedFeatures.SlotCount * Outputs || bias.Length != Outputs)
        {
            throw new ArgumentException($"Expected {TrainedFeatures.SlotCount * Outputs} weights and {Outputs} intercepts.", nameof(weights));
        }

        _weights = weights;
        Bias = bias;
        Calibration = calibration;
    }

    public static TrainedModel Default => DefaultInstance.Value;

    public IReadOnlyList<float> Bias { get; }

    public TrainedCalibration Calibration { get; }

    public float Weight(int slot, int output) => _weights[(slot * Outputs) + output];

    /// <summary>Raw (uncalibrated) output logits of <paramref name="text"/>.</summary>
    public void Logits(NormalizedText text, double lexiconCompound, Span<double> logits)
    {
        var max = TrainedFeatures.MaxFeatures(text);
        var slots = max <= 1024 ? stackalloc int[max] : new int[max];
        var values = max <= 1024 ? stackalloc float[max] : new float[max];
        var n = TrainedFeatures.Extract(text, lexiconCompound, slots, values);
        Logits(slots[..n], values[..n], logits);
    }

    /// <summary>Raw output logits of extracted features.</summary>
    public void Logits(ReadOnlySpan<int> slots, ReadOnlySpan<float> values, Span<double> logits)
    {
        float s0 = Bias[0], s1 = Bias[1], s2 = Bias[2], s3 = Bias[3], s4 = Bias[4];
        var weights = _weights;
        for (var i = 0; i < slots.Length; i++)
        {
            var at = slots[i] * Outputs;
            var v = values[i];
            s0 += weights[at] * v;
            s1 += weights[at + 1] * v;
            s2 += weights[at + 2] * v;
            s3 += weights[at + 3] * v;
            s4 += weights[at + 4] * v;
        }

        logits[0] = s0;
        logits[1] = s1;
        logits[2] = s2;
        logits[3] = s3;
        logits[4] = s4;
    }

    /// <summary>Calibrated probabilities: mood (sad, neutral, happy) summing to 1, then p(offensive) and p(hate).</summary>
    public TrainedScores Score(NormalizedText text, double lexiconCompound)
    {
        Span<double> logits = stackalloc double[Outputs];
        Logits(text, lexiconCompound, logits);
        return Calibration.Apply(logits);
    }

    public void Write(Stream destination)
    {
        using var zip = new GZipStream(destination, CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new BinaryWriter(zip, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(TrainedFeatures.Bits);
        writer.Write(TrainedFeatures.DenseCount);
        writer.Write(Outputs);
        foreach (var b in Bias)
        {
            writer.Write(b);
        }

        Calibration.Write(writer);

        // Sparse: slots with any non-zero weight, delta-coded, each with its outputs as half floats.
        var used = 0;
        for (var slot = 0; slot < TrainedFeatures.SlotCount; slot++)
        {
            used += IsUsed(slot) ? 1 : 0;
        }

        writer.Write(used);
        var last = -1;
        for (var slot = 0; slot < TrainedFeatures.SlotCount; slot++)
        {
            if (!IsUsed(slot))
            {
                continue;
            }

            writer.Write7BitEncodedInt(slot - last);
            last = slot;
            for (var o = 0; o < Outputs; o++)
            {
                writer.Write((Half)_weights[(slot * Outputs) + o]);
            }
        }
    }

    public static TrainedModel Read(Stream source)
    {
        using var zip = new GZipStream(source, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new BinaryReader(zip, Encoding.UTF8, leaveOpen: true);
        if (reader.ReadUInt32() != Magic || reader.ReadInt32() != Version)
        {
            throw new InvalidDataException("Not a trained moderation model of this version.");
        }

        var bits = reader.ReadInt32();
        var dense = reader.ReadInt32();
        var outputs = reader.ReadInt32();
        if (bits != TrainedFeatures.Bits || dense != TrainedFeatures.DenseCount || outputs != Outputs)
        {
            throw new InvalidDataException($"The model was trained for {bits} bits, {dense} dense slots and {outputs} outputs; the runtime uses {TrainedFeatures.Bits}, {TrainedFeatures.DenseCount} and {Outputs}.");
        }

        var bias = new float[Outputs];
        for (var o = 0; o < Outputs; o++)
        {
            bias[o] = reader.ReadSingle();
        }

        var calibration = TrainedCalibration.Read(reader);
        var weights = new float[TrainedFeatures.SlotCount * Outputs];
        var used = reader.ReadInt32();
        var slot = -1;
        for (var k = 0; k < used; k++)
        {
            slot += reader.Read7BitEncodedInt();
            for (var o = 0; o < Outputs; o++)
            {
                weights[(slot * Outputs) + o] = (float)reader.ReadHalf();
            }
        }

        return new TrainedModel(weights, bias, calibration);
    }

    /// <summary>The same model with every weight rounded to what <see cref="Write"/> stores, so the trainer calibrates what ships.</summary>
    public static float[] RoundToStored(float[] weights)
    {
        var rounded = new float[weights.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            rounded[i] = (float)(Half)weights[i];
        }

        return rounded;
    }

    private bool IsUsed(int slot)
    {
        for (var o = 0; o < Outputs; o++)
        {
            if ((Half)_weights[(slot * Outputs) + o] != Half.Zero)
            {
                return true;
            }
        }

        return false;
    }
}
