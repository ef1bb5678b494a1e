using Chatroom.Analysis.Moderation.Classifiers;

namespace Chatroom.Moderation.Trainer;

/// <summary>
/// L2-regularised logistic regression over hashed buckets (scaled 1/√n, as <see cref="MoodModel"/> scores them) and
/// one dense lexicon feature, trained by AdaGrad SGD with a fixed seed so runs are reproducible. Without
/// <c>fitBias</c> the intercept stays 0: a message with no evidence must score neutral in chat, whatever the
/// training set's class prior.
/// </summary>
public sealed class LogisticRegression(double l2, int epochs, bool useLexicon, bool useWords, int minCount, bool fitBias)
{
    public MoodModel Train(IReadOnlyList<Example> examples)
    {
        var frequency = new int[MoodFeatures.TableSize];
        foreach (var example in examples)
        {
            foreach (var bucket in example.Buckets.Distinct())
            {
                frequency[bucket]++;
            }
        }

        var weights = new double[MoodFeatures.TableSize];
        var squares = new double[MoodFeatures.TableSize];
        double bias = 0, biasSquares = 1e-8, lexicon = 0, lexiconSquares = 1e-8;
        const double rate = 0.5;
        var order = Enumerable.Range(0, examples.Count).ToArray();
        var random = new Random(20240601);
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order);
            foreach (var index in order)
            {
                var example = examples[index];
                var scale = example.Buckets.Length == 0 ? 0 : 1 / Math.Sqrt(example.Buckets.Length);
                var z = bias + (useLexicon ? lexicon * example.Lexicon : 0);
                if (useWords)
                {
                    foreach (var bucket in example.Buckets)
                    {
                        z += frequency[bucket] >= minCount ? weights[bucket] * scale : 0;
                    }
                }

                var gradient = Sigmoid(z) - (example.Positive ? 1 : 0);
                if (fitBias)
                {
                    biasSquares += gradient * gradient;
                    bias -= rate * gradient / Math.Sqrt(biasSquares);
                }

                if (useLexicon)
                {
                    var g = gradient * example.Lexicon;
                    lexiconSquares += g * g;
                    lexicon -= rate * g / Math.Sqrt(lexiconSquares);
                }

                if (!useWords)
                {
                    continue;
                }

                foreach (var bucket in example.Buckets)
                {
                    if (frequency[bucket] < minCount)
                    {
                        continue;
                    }

                    var g = (gradient * scale) + (l2 * weights[bucket]);
                    squares[bucket] += g * g;
                    weights[bucket] -= rate * g / Math.Sqrt(squares[bucket]);
                }
            }
        }

        var table = new float[MoodFeatures.TableSize];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = frequency[i] >= minCount ? (float)weights[i] : 0f;
        }

        return new MoodModel(table, bias, lexicon);
    }

    public static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}

/// <summary>A sentence turned into the model's inputs.</summary>
public sealed record Example(string Domain, int[] Buckets, double Lexicon, bool Positive);
