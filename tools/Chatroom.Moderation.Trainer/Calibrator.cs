namespace Chatroom.Moderation.Trainer;

/// <summary>
/// Fits the calibration and decision constants on held-out logits. Everything is full-batch and iterates a fixed
/// number of times, so the result depends only on the inputs.
/// </summary>
public static class Calibrator
{
    /// <summary>Temperature and per-class offsets of a softmax minimising log-loss (vector-free "temperature + bias" scaling).</summary>
    public static (double Temperature, double[] Offsets) FitSoftmax(IReadOnlyList<double[]> logits, IReadOnlyList<int> labels)
    {
        var classes = logits[0].Length;
        double scale = 1;
        var offsets = new double[classes];
        var probabilities = new double[classes];
        const double rate = 0.5;
        for (var iteration = 0; iteration < 400; iteration++)
        {
            double gScale = 0;
            var gOffsets = new double[classes];
            for (var n = 0; n < logits.Count; n++)
            {
                Probabilities(logits[n], scale, offsets, probabilities);
                for (var c = 0; c < classes; c++)
                {
                    var error = probabilities[c] - (labels[n] == c ? 1 : 0);
                    gScale += error * logits[n][c];
                    gOffsets[c] += error;
                }
            }

            scale -= rate * gScale / logits.Count;
            for (var c = 0; c < classes; c++)
            {
                offsets[c] -= rate * gOffsets[c] / logits.Count;
            }
        }

        // Only differences between offsets matter; anchor the middle class at 0 so the constants read easily.
        var anchor = offsets[classes / 2];
        return (1 / scale, offsets.Select(o => o - anchor).ToArray());
    }

    /// <summary>Platt scaling: slope and offset of a logistic over one logit, by Newton's method.</summary>
    public static (double Slope, double Offset) FitPlatt(IReadOnlyList<double> logits, IReadOnlyList<int> labels)
    {
        double a = 1, b = 0;
        for (var iteration = 0; iteration < 50; iteration++)
        {
            double ga = 0, gb = 0, haa = 1e-6, hab = 0, hbb = 1e-6;
            for (var n = 0; n < logits.Count; n++)
            {
                var x = logits[n];
                var p = LinearTrainer.Sigmoid((a * x) + b);
                var error = p - labels[n];
                var curvature = p * (1 - p);
                ga += error * x;
                gb += error;
                haa += curvature * x * x;
                hab += curvature * x;
                hbb += curvature;
            }

            var determinant = (haa * hbb) - (hab * hab);
            a -= ((hbb * ga) - (hab * gb)) / determinant;
            b -= ((haa * gb) - (hab * ga)) / determinant;
        }

        return (a, b);
    }

    /// <summary>
    /// Coefficients of a logistic regression over a few features (the caller includes a constant 1 for the intercept),
    /// by Newton's method with a tiny ridge: how the second stage weighs the first tier's log-odds against its own logit.
    /// </summary>
    public static double[] FitLogistic(IReadOnlyList<double[]> features, IReadOnlyList<int> labels)
    {
        var k = features[0].Length;
        var beta = new double[k];
        for (var iteration = 0; iteration < 50; iteration++)
        {
            var gradient = new double[k];
            var hessian = new double[k, k];
            for (var i = 0; i < k; i++)
            {
                hessian[i, i] = 1e-6;
            }

            for (var n = 0; n < features.Count; n++)
            {
                var x = features[n];
                var z = 0.0;
                for (var i = 0; i < k; i++)
                {
                    z += beta[i] * x[i];
                }

                var p = LinearTrainer.Sigmoid(z);
                var error = p - labels[n];
                var curvature = p * (1 - p);
                for (var i = 0; i < k; i++)
                {
                    gradient[i] += error * x[i];
                    for (var j = 0; j < k; j++)
                    {
                        hessian[i, j] += curvature * x[i] * x[j];
                    }
                }
            }

            var step = Solve(hessian, gradient);
            for (var i = 0; i < k; i++)
            {
                beta[i] -= step[i];
            }
        }

        return beta;
    }

    /// <summary>
    /// The weights of two readings of a softmax (first tier's log-probabilities, second stage's logits) and per-class
    /// offsets (the middle class at 0) that minimise log-loss; full-batch gradient descent, a fixed number of steps.
    /// </summary>
    public static (double FirstWeight, double SecondWeight, double[] Offsets) FitSoftmaxBlend(
        IReadOnlyList<double[]> firstLogProbabilities, IReadOnlyList<double[]> secondLogits, IReadOnlyList<int> labels)
    {
        const int classes = 3;
        const double rate = 0.05;
        double a = 1, b = 0;
        var offsets = new double[classes];
        var s = new double[classes];
        for (var iteration = 0; iteration < 2000; iteration++)
        {
            double ga = 0, gb = 0;
            var go = new double[classes];
            for (var n = 0; n < labels.Count; n++)
            {
                for (var c = 0; c < classes; c++)
                {
                    s[c] = (a * firstLogProbabilities[n][c]) + (b * secondLogits[n][c]) + offsets[c];
                }

                LinearTrainer.Softmax(s);
                for (var c = 0; c < classes; c++)
                {
                    var error = s[c] - (labels[n] == c ? 1 : 0);
                    ga += error * firstLogProbabilities[n][c];
                    gb += error * secondLogits[n][c];
                    go[c] += error;
                }
            }

            a -= rate * ga / labels.Count;
            b -= rate * gb / labels.Count;
            for (var c = 0; c < classes; c++)
            {
                offsets[c] -= rate * go[c] / labels.Count;
            }
        }

        var anchor = offsets[1];
        return (a, b, offsets.Select(o => o - anchor).ToArray());
    }

    /// <summary>Offsets on the calibrated log-probabilities (the middle class fixed at 0) that maximise macro-recall.</summary>
    public static double[] FitMacroRecallDecision(IReadOnlyList<double[]> probabilities, IReadOnlyList<int> labels)
    {
        var logs = probabilities.Select(p => p.Select(v => Math.Log(Math.Max(v, 1e-12))).ToArray()).ToArray();
        var best = new double[] { 0, 0, 0 };
        var bestRecall = Metrics.MacroRecall(labels, logs.Select(l => ArgMax(l, best)).ToArray(), 3);
        for (var low = -1.5; low <= 1.5001; low += 0.05)
        {
            for (var high = -1.5; high <= 1.5001; high += 0.05)
            {
                double[] candidate = [Math.Round(low, 2), 0, Math.Round(high, 2)];
                var recall = Metrics.MacroRecall(labels, logs.Select(l => ArgMax(l, candidate)).ToArray(), 3);
                if (recall > bestRecall + 1e-9)
                {
                    bestRecall = recall;
                    best = candidate;
                }
            }
        }

        return best;
    }

    /// <summary>The probability threshold (0.05–0.95) with the best macro-F1.</summary>
    public static double FitThreshold(IReadOnlyList<double> probabilities, IReadOnlyList<int> labels)
    {
        var best = 0.5;
        var bestF1 = Metrics.BinaryMacroF1(labels, probabilities.Select(p => p >= 0.5 ? 1 : 0).ToArray());
        for (var step = 5; step <= 95; step++)
        {
            var threshold = step / 100.0;
            var f1 = Metrics.BinaryMacroF1(labels, probabilities.Select(p => p >= threshold ? 1 : 0).ToArray());
            if (f1 > bestF1 + 1e-9)
            {
                bestF1 = f1;
                best = threshold;
            }
        }

        return best;
    }

    public static int ArgMax(double[] values, double[] offsets)
    {
        var best = 0;
        for (var c = 1; c < values.Length; c++)
        {
            if (values[c] + offsets[c] > values[best] + offsets[best])
            {
                best = c;
            }
        }

        return best;
    }

    /// <summary>Solves the small symmetric system <paramref name="matrix"/>·x = <paramref name="vector"/> (Gaussian elimination, partial pivoting).</summary>
    private static double[] Solve(double[,] matrix, double[] vector)
    {
        var k = vector.Length;
        var a = (double[,])matrix.Clone();
        var x = (double[])vector.Clone();
        for (var col = 0; col < k; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < k; row++)
            {
                if (Math.Abs(a[row, col]) > Math.Abs(a[pivot, col]))
                {
                    pivot = row;
                }
            }

            for (var j = 0; j < k; j++)
            {
                (a[col, j], a[pivot, j]) = (a[pivot, j], a[col, j]);
            }

            (x[col], x[pivot]) = (x[pivot], x[col]);
            for (var row = col + 1; row < k; row++)
            {
                var factor = a[row, col] / a[col, col];
                for (var j = col; j < k; j++)
                {
                    a[row, j] -= factor * a[col, j];
                }

                x[row] -= factor * x[col];
            }
        }

        for (var row = k - 1; row >= 0; row--)
        {
            for (var j = row + 1; j < k; j++)
            {
                x[row] -= a[row, j] * x[j];
            }

            x[row] /= a[row, row];
        }

        return x;
    }

    private static void Probabilities(double[] logits, double scale, double[] offsets, double[] probabilities)
    {
        var max = double.NegativeInfinity;
        for (var c = 0; c < logits.Length; c++)
        {
            probabilities[c] = (scale * logits[c]) + offsets[c];
            max = Math.Max(max, probabilities[c]);
        }

        var total = 0.0;
        for (var c = 0; c < logits.Length; c++)
        {
            probabilities[c] = Math.Exp(probabilities[c] - max);
            total += probabilities[c];
        }

        for (var c = 0; c < logits.Length; c++)
        {
            probabilities[c] /= total;
        }
    }
}
