using Chatroom.Analysis.Moderation.Classifiers;

namespace Chatroom.Moderation.Trainer;

/// <summary>
/// Trains one head of <see cref="EmbeddingHeads"/> on dense sentence vectors: a softmax over <c>classes</c> outputs
/// starting at <c>firstOutput</c>, or (one class) a logistic output; AdaGrad SGD with L2, classes weighed as the
/// settings say, examples shuffled by a seeded <see cref="Random"/>, one thread: the same inputs give the same weights.
/// </summary>
public static class DenseTrainer
{
    public static void Train(IReadOnlyList<float[]> vectors, IReadOnlyList<Example> examples, float[] weights, float[] bias, int firstOutput, int classes, HeadSettings settings, int seed)
    {
        const int dimensions = EmbeddingHeads.Dimensions;
        var outputs = classes == 1 ? 1 : classes;
        var labelCount = classes == 1 ? 2 : classes;
        var classWeight = LinearTrainer.ClassWeights(examples, labelCount, settings.BalancedClasses);
        var w = new double[dimensions * outputs];
        var squares = new double[w.Length];
        var b = new double[outputs];
        var bSquares = new double[outputs];
        var z = new double[outputs];
        var gradient = new double[outputs];
        var order = Enumerable.Range(0, examples.Count).ToArray();
        var random = new Random(seed);
        for (var epoch = 0; epoch < settings.Epochs; epoch++)
        {
            random.Shuffle(order);
            foreach (var index in order)
            {
                var x = vectors[index];
                var example = examples[index];
                b.CopyTo(z, 0);
                for (var d = 0; d < dimensions; d++)
                {
                    for (var o = 0; o < outputs; o++)
                    {
                        z[o] += w[(d * outputs) + o] * x[d];
                    }
                }

                var cw = classWeight[example.Label] * example.Weight;
                if (classes == 1)
                {
                    gradient[0] = cw * (LinearTrainer.Sigmoid(z[0]) - example.Label);
                }
                else
                {
                    LinearTrainer.Softmax(z);
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

                for (var d = 0; d < dimensions; d++)
                {
                    for (var o = 0; o < outputs; o++)
                    {
                        var at = (d * outputs) + o;
                        var g = (gradient[o] * x[d]) + (settings.L2 * w[at]);
                        squares[at] += (g * g) + 1e-12;
                        w[at] -= settings.LearningRate * g / Math.Sqrt(squares[at]);
                    }
                }
            }
        }

        for (var d = 0; d < dimensions; d++)
        {
            for (var o = 0; o < outputs; o++)
            {
                weights[(d * TrainedModel.Outputs) + firstOutput + o] = (float)w[(d * outputs) + o];
            }
        }

        for (var o = 0; o < outputs; o++)
        {
            bias[firstOutput + o] = (float)b[o];
        }
    }
}
