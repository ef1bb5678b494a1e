using System.Globalization;
using System.Reflection;
using Chatroom.Analysis.Moderation.Normalization;

namespace Chatroom.Analysis.Moderation.Classifiers;

/// <summary>
/// Trained linear mood model: logistic regression over <see cref="MoodFeatures"/> buckets plus the lexicon (VADER)
/// compound score. Weights come from tools/Chatroom.Moderation.Trainer (Lexicons/mood_weights.txt; sources and
/// licences in docs/moderation.md).
/// </summary>
public sealed class MoodModel
{
    private static readonly Lazy<MoodModel> DefaultInstance = new(() => Parse(ReadResource()));

    private readonly float[] _weights;

    public MoodModel(float[] weights, double bias, double lexiconWeight)
    {
        if (weights.Length != MoodFeatures.TableSize)
        {
            throw new ArgumentException($"Expected {MoodFeatures.TableSize} weights.", nameof(weights));
        }

        _weights = weights;
        Bias = bias;
        LexiconWeight = lexiconWeight;
    }

    public static MoodModel Default => DefaultInstance.Value;

    public double Bias { get; }

    public double LexiconWeight { get; }

    public float Weight(int bucket) => _weights[bucket];

    /// <summary>Log-odds that the message is positive.</summary>
    public double Logit(NormalizedText text, double lexiconScore, double wordScale = 1.0)
    {
        var count = text.Tokens.Count;
        var max = MoodFeatures.MaxFeatures(count);
        Span<int> buckets = max <= 512 ? stackalloc int[max] : new int[max];
        var n = MoodFeatures.Extract(text, buckets);
        return Logit(buckets[..n], lexiconScore, wordScale);
    }

    /// <summary>
    /// Log-odds from already extracted buckets; the bag of words is scaled by 1/√n so long texts do not dominate, and by
    /// <paramref name="wordScale"/> (1 = as trained).
    /// </summary>
    public double Logit(ReadOnlySpan<int> buckets, double lexiconScore, double wordScale = 1.0)
    {
        var sum = 0.0;
        foreach (var bucket in buckets)
        {
            sum += _weights[bucket];
        }

        return Bias + (LexiconWeight * lexiconScore) + (buckets.Length == 0 ? 0 : wordScale * sum / Math.Sqrt(buckets.Length));
    }

    /// <summary>Reads the trainer's text format: <c>bias</c>, <c>lexicon</c> and <c>bucket&lt;TAB&gt;weight</c> lines.</summary>
    public static MoodModel Parse(IEnumerable<string> lines)
    {
        var weights = new float[MoodFeatures.TableSize];
        double bias = 0, lexicon = 0;
        foreach (var line in lines)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var key = line.AsSpan(0, tab);
            var value = double.Parse(line.AsSpan(tab + 1), NumberStyles.Float, CultureInfo.InvariantCulture);
            if (key.SequenceEqual("bits"))
            {
                if ((int)value != MoodFeatures.Bits)
                {
                    throw new InvalidDataException($"Mood weights were trained for {value} bits, the runtime uses {MoodFeatures.Bits}.");
                }
            }
            else if (key.SequenceEqual("bias"))
            {
                bias = value;
            }
            else if (key.SequenceEqual("lexicon"))
            {
                lexicon = value;
            }
            else
            {
                weights[int.Parse(key, NumberStyles.Integer, CultureInfo.InvariantCulture)] = (float)value;
            }
        }

        return new MoodModel(weights, bias, lexicon);
    }

    private static IEnumerable<string> ReadResource()
    {
        const string name = "Chatroom.Analysis.Lexicons.mood_weights.txt";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded mood weights '{name}' are missing.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }
}
