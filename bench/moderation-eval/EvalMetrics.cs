namespace Chatroom.Moderation.Eval;

/// <summary>Accuracy, macro-F1/recall over string labels, and area under the precision-recall curve.</summary>
public static class EvalMetrics
{
    public static double Accuracy(IReadOnlyList<(string Expected, string Actual)> pairs) =>
        pairs.Count == 0 ? double.NaN : pairs.Count(p => p.Expected == p.Actual) / (double)pairs.Count;

    public static double MacroF1(IReadOnlyList<(string Expected, string Actual)> pairs, IReadOnlyList<string> classes) =>
        classes.Average(c =>
        {
            var tp = pairs.Count(p => p.Expected == c && p.Actual == c);
            var fp = pairs.Count(p => p.Expected != c && p.Actual == c);
            var fn = pairs.Count(p => p.Expected == c && p.Actual != c);
            return tp == 0 ? 0 : 2.0 * tp / ((2.0 * tp) + fp + fn);
        });

    public static double MacroRecall(IReadOnlyList<(string Expected, string Actual)> pairs, IReadOnlyList<string> classes) =>
        classes.Average(c =>
        {
            var support = pairs.Count(p => p.Expected == c);
            return support == 0 ? 0 : pairs.Count(p => p.Expected == c && p.Actual == c) / (double)support;
        });

    /// <summary>Average precision (step-wise area under the precision-recall curve) of a score for the positive class.</summary>
    public static double Auprc(IReadOnlyList<(bool Positive, double Score)> scored)
    {
        var positives = scored.Count(s => s.Positive);
        if (positives == 0)
        {
            return double.NaN;
        }

        var hits = 0;
        var sum = 0.0;
        var ordered = scored.OrderByDescending(s => s.Score).ToList();
        for (var k = 0; k < ordered.Count; k++)
        {
            if (ordered[k].Positive)
            {
                hits++;
                sum += hits / (double)(k + 1);
            }
        }

        return sum / positives;
    }

    public static double Percentile(IReadOnlyList<double> sorted, double share) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(share * sorted.Count) - 1)];
}
