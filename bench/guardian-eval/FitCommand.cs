using System.Globalization;
using System.Text.Json;
using Chatroom.Analysis.Guardian;
using Chatroom.Core.Chat;

namespace Chatroom.Guardian.Eval;

/// <summary>
/// <c>fit</c>: on the dev split only, picks the activation range (a small grid) and fits the logistic weights (L2-regularised
/// gradient descent), then the lowest threshold whose projected cases per day fit the review capacity of
/// <see cref="Traffic.Assumed"/>; writes src/Chatroom.Analysis/Guardian/guardian-model.json.
/// </summary>
internal static class FitCommand
{
    private const double L2 = 0.002;

    public static async Task<int> RunAsync(string data, string modelPath, Func<GuardianModel, GuardianScorer> scorerFor, TextWriter output, CancellationToken cancellationToken)
    {
        var dev = LabelledConversation.Read(Path.Combine(data, "dev.jsonl"));
        GuardianModel? best = null;
        var bestLoss = double.MaxValue;
        foreach (var low in new[] { 0.3, 0.35, 0.4, 0.45 })
        {
            foreach (var high in new[] { 0.65, 0.75, 0.85 })
            {
                var start = new GuardianModel(low, high, 0, new Dictionary<string, double>(), 0.5);
                var set = await ScoredSet.ScoreAsync(dev, scorerFor(start), cancellationToken).ConfigureAwait(false);
                var (model, loss) = Fit(start, set);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"low {low:0.00} high {high:0.00}: dev log-loss {loss:0.0000}"));
                if (loss < bestLoss)
                {
                    (best, bestLoss) = (model, loss);
                }
            }
        }

        var chosen = best!;
        var final = await ScoredSet.ScoreAsync(dev, scorerFor(chosen), cancellationToken).ConfigureAwait(false);
        var threshold = ChooseThreshold(final, final.Scores(chosen), Traffic.Assumed);
        chosen = chosen with
        {
            Threshold = Math.Round(threshold, 4),
            FittedOn = $"bench/guardian-eval/conversations/dev.jsonl ({dev.Count} conversations, seed {GenerateCommand.DefaultSeed})",
            Traffic = Traffic.Assumed.ToString(),
        };
        await File.WriteAllTextAsync(modelPath, JsonSerializer.Serialize(chosen, new JsonSerializerOptions(ChatJson.Options) { WriteIndented = true }) + "\n", cancellationToken)
            .ConfigureAwait(false);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chose low {chosen.Low} high {chosen.High}, threshold {chosen.Threshold}; wrote {modelPath}"));
        return 0;
    }

    /// <summary>The threshold with the best dev recall whose projected cases per day stay within the review capacity.</summary>
    internal static double ChooseThreshold(ScoredSet set, double[] scores, Traffic traffic)
    {
        var best = 1.0;
        var bestRecall = -1.0;
        foreach (var candidate in scores.Distinct().Order())
        {
            var (recall, falseAlarms, _, _) = set.Rates(scores, candidate);
            if (traffic.CasesOpened(recall, falseAlarms) <= traffic.CasesPerDay && recall > bestRecall)
            {
                (best, bestRecall) = (candidate, recall);
            }
        }

        return best;
    }

    private static (GuardianModel Model, double Loss) Fit(GuardianModel start, ScoredSet set)
    {
        var rows = Enumerable.Range(0, set.Rows.Count).Where(i => set.Features[i].MinorPresent).ToList();
        var dimensions = GuardianSignals.All.Count;
        var w = new double[dimensions];
        var bias = 0.0;
        const double rate = 0.5;
        for (var iteration = 0; iteration < 4000; iteration++)
        {
            var gradient = new double[dimensions];
            var gradientBias = 0.0;
            foreach (var i in rows)
            {
                var x = set.Features[i].Values;
                var error = Sigmoid(bias + Dot(w, x)) - set.Rows[i].Label;
                gradientBias += error;
                for (var d = 0; d < dimensions; d++)
                {
                    gradient[d] += error * x[d];
                }
            }

            bias -= rate * gradientBias / rows.Count;
            for (var d = 0; d < dimensions; d++)
            {
                w[d] -= rate * (gradient[d] / rows.Count + L2 * w[d]);
            }
        }

        var loss = rows.Average(i =>
        {
            var p = Math.Clamp(Sigmoid(bias + Dot(w, set.Features[i].Values)), 1e-9, 1 - 1e-9);
            return set.Rows[i].Label == 1 ? -Math.Log(p) : -Math.Log(1 - p);
        });
        var weights = GuardianSignals.All.Select((name, d) => (name, Math.Round(w[d], 4))).ToDictionary(p => p.name, p => p.Item2);
        return (start with { Bias = Math.Round(bias, 4), Weights = weights }, loss);
    }

    private static double Dot(double[] w, IReadOnlyList<double> x)
    {
        var sum = 0.0;
        for (var d = 0; d < w.Length; d++)
        {
            sum += w[d] * x[d];
        }

        return sum;
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
