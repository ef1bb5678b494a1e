using Chatroom.Analysis.Moderation.Classifiers;

namespace Chatroom.Moderation.Trainer;

/// <summary>
/// Trains one head of <see cref="TrainedModel"/> in the shared weight table: a softmax over <c>classes</c> columns
/// starting at <c>firstOutput</c>, or (one class) a logistic output. AdaGrad SGD, one thread, examples shuffled by a
/// seeded <see cref="Random"/>: the same data and seed give the same weights bit for bit.
/// </summary>
public static class LinearTrainer
{
    public static void Train(IReadOnlyList<Example> examples, float[] weights, float[] bias, int firstOutput, int classes, HeadSettings settings, int seed)
    {
        var outputs = classes == 1 ? 1 : classes;
        var labelCount = classes == 1 ? 2 : classes;
        var classWeight = ClassWeights(examples, labelCount, settings.BalancedClasses);
        var w = new double[TrainedFeatures.SlotCount * outputs];
        var squares = new double[w.Length];
        var b = new double[outputs];
        var bSquares = new double[outputs];
        Span<double> z = stackalloc double[outputs];
        Span<double> gradient = stackalloc double[outputs];
        var order = Enumerable.Range(0, examples.Count).ToArray();
        var random = new Random(seed);
        for (var epoch = 0; epoch < settings.Epochs; epoch++)
        {
            random.Shuffle(order);
            foreach (var index in order)
            {
                var example = examples[index];
                b.CopyTo(z);
                for (var i = 0; i < example.Slots.Length; i++)
                {
                    var at = example.Slots[i] * outputs;
                    for (var o = 0; o < outputs; o++)
                    {
                        z[o] += w[at + o] * example.Values[i];
                    }
                }

                var cw = classWeight[example.Label] * example.Weight;
                if (classes == 1)
                {
                    gradient[0] = cw * (Sigmoid(z[0]) - example.Label);
                }
                else
                {
                    Softmax(z);
                    for (var o = 0; o < outputs; o++)
                    {
                        gradient[o] = cw * (z[o] - (o == example.Label ? 1 : 0));
                    }
                }

                for (var o = 0; o < outputs; o++)
                {
                    bSquares[o] += (gradient[o] * gradient[o]) + 1e-12;
                    b[o] -= settings.LearningRate * gradient[o] / Math.Sqrt(bSquares[o]);
                }

                for (var i = 0; i < example.Slots.Length; i++)
                {
                    var at = example.Slots[i] * outputs;
                    var v = example.Values[i];
                    for (var o = 0; o < outputs; o++)
                    {
                        var g = (gradient[o] * v) + (settings.L2 * w[at + o]);
                        squares[at + o] += (g * g) + 1e-12;
                        w[at + o] -= settings.LearningRate * g / Math.Sqrt(squares[at + o]);
                    }
                }
            }
        }

        for (var slot = 0; slot < TrainedFeatures.SlotCount; slot++)
        {
            for (var o = 0; o < outputs; o++)
            {
                weights[(slot * TrainedModel.Outputs) + firstOutput + o] = (float)w[(slot * outputs) + o];
            }
        }

        for (var o = 0; o < outputs; o++)
        {
            bias[firstOutput + o] = (float)b[o];
        }
    }

    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    public static void Softmax(Span<double> z)
    {
        var max = double.NegativeInfinity;
        foreach (var v in z)
        {
            max = Math.Max(max, v);
        }

        var total = 0.0;
        for (var o = 0; o < z.Length; o++)
        {
            z[o] = Math.Exp(z[o] - max);
            total += z[o];
        }

        for (var o = 0; o < z.Length; o++)
        {
            z[o] /= total;
        }
    }

    /// <summary>1 per class, or (balanced) inversely proportional to the class's count.</summary>
    public static double[] ClassWeights(IReadOnlyList<Example> examples, int labels, bool balanced)
    {
        var weights = new double[labels];
        Array.Fill(weights, 1.0);
        if (!balanced)
        {
            return weights;
        }

        var counts = new int[labels];
        foreach (var example in examples)
        {
            counts[example.Label]++;
        }

        for (var c = 0; c < labels; c++)
        {
            weights[c] = counts[c] == 0 ? 0 : examples.Count / (double)(labels * counts[c]);
        }

        return weights;
    }
}
