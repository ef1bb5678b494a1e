namespace Chatroom.Moderation.Trainer;

/// <summary>The figures the targets are stated in.</summary>
public static class Metrics
{
    public static double MacroRecall(IReadOnlyList<int> expected, IReadOnlyList<int> predicted, int classes)
    {
        var total = 0.0;
        for (var c = 0; c < classes; c++)
        {
            int support = 0, hit = 0;
            for (var n = 0; n < expected.Count; n++)
            {
                if (expected[n] == c)
                {
                    support++;
                    hit += predicted[n] == c ? 1 : 0;
                }
            }

            total += support == 0 ? 0 : hit / (double)support;
        }

        return total / classes;
    }

    public static double BinaryMacroF1(IReadOnlyList<int> expected, IReadOnlyList<int> predicted) =>
        (F1(expected, predicted, 0) + F1(expected, predicted, 1)) / 2;

    public static double F1(IReadOnlyList<int> expected, IReadOnlyList<int> predicted, int label)
    {
        int tp = 0, fp = 0, fn = 0;
        for (var n = 0; n < expected.Count; n++)
        {
            tp += expected[n] == label && predicted[n] == label ? 1 : 0;
            fp += expected[n] != label && predicted[n] == label ? 1 : 0;
            fn += expected[n] == label && predicted[n] != label ? 1 : 0;
        }

        return tp == 0 ? 0 : 2.0 * tp / ((2.0 * tp) + fp + fn);
    }

    public static double Accuracy(IReadOnlyList<int> expected, IReadOnlyList<int> predicted) =>
        expected.Count == 0 ? 0 : expected.Where((e, n) => e == predicted[n]).Count() / (double)expected.Count;

    /// <summary>Mean log-loss of calibrated probabilities (lower is better; it is what calibration minimises).</summary>
    public static double LogLoss(IReadOnlyList<int> expected, IReadOnlyList<double> probabilityOfPositive) =>
        expected.Select((e, n) => -Math.Log(Math.Clamp(e == 1 ? probabilityOfPositive[n] : 1 - probabilityOfPositive[n], 1e-12, 1))).Average();
}
