using System.Diagnostics;
using System.Globalization;
using Chatroom.Analysis.Guardian;

namespace Chatroom.Guardian.Eval;

/// <summary>
/// <c>eval [--split test|dev]</c>: scores the split with the shipped model and threshold and prints, as Markdown, recall on
/// concerning conversations, false alarms on ordinary ones, the cases per day that would open under
/// <see cref="Traffic.Assumed"/>, ROC AUC, per-family figures and the scoring time per conversation.
/// </summary>
internal static class EvalCommand
{
    public static async Task<int> RunAsync(string data, string split, GuardianScorer scorer, TextWriter output, CancellationToken cancellationToken)
    {
        var rows = LabelledConversation.Read(Path.Combine(data, $"{split}.jsonl"));
        await scorer.FeaturesAsync(rows[0].ToTranscript(), cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        var set = await ScoredSet.ScoreAsync(rows, scorer, cancellationToken).ConfigureAwait(false);
        var perConversation = Stopwatch.GetElapsedTime(started).TotalMilliseconds / rows.Count;
        var scores = set.Scores(scorer.Model);
        var threshold = scorer.Threshold;
        var (recall, falseAlarms, caught, alarms) = set.Rates(scores, threshold);
        var traffic = Traffic.Assumed;
        var inv = CultureInfo.InvariantCulture;

        output.WriteLine(string.Create(inv, $"Split {split}: {rows.Count} conversations ({rows.Count(r => r.Label == 1)} concerning, {rows.Count(r => r.Label == 0)} ordinary), threshold {threshold:0.###}."));
        output.WriteLine($"Assumed traffic: {traffic}.");
        output.WriteLine();
        output.WriteLine("| measure | value |");
        output.WriteLine("|---|---|");
        output.WriteLine(string.Create(inv, $"| recall (concerning conversations that open a case) | {recall:P1} ({caught}/{rows.Count(r => r.Label == 1)}) |"));
        output.WriteLine(string.Create(inv, $"| false alarms on ordinary chats | {falseAlarms:P1} ({alarms}/{rows.Count(r => r.Label == 0)}) |"));
        output.WriteLine(string.Create(inv, $"| projected cases per day | {traffic.CasesOpened(recall, falseAlarms):0.0} (of which false alarms {falseAlarms * traffic.Ordinary:0.0}; capacity {traffic.CasesPerDay}) |"));
        var budget = FitCommand.ChooseThreshold(set, scores, traffic);
        var (budgetRecall, budgetAlarms, _, _) = set.Rates(scores, budget);
        output.WriteLine(string.Create(inv, $"| recall at {traffic.CasesPerDay} cases/day (threshold {budget:0.###} read off this split: an upper bound) | {budgetRecall:P1} (false alarms {budgetAlarms:P1}) |"));
        output.WriteLine(string.Create(inv, $"| ROC AUC | {Auc(set, scores):0.000} |"));
        output.WriteLine(string.Create(inv, $"| scoring time per conversation (MiniLM on CPU, after warm-up) | {perConversation:0.0} ms |"));
        output.WriteLine();
        output.WriteLine("| family | label | conversations | open a case |");
        output.WriteLine("|---|---|---|---|");
        foreach (var family in rows.Select(r => r.Family).Distinct())
        {
            var members = Enumerable.Range(0, rows.Count).Where(i => rows[i].Family == family).ToList();
            foreach (var label in members.Select(i => rows[i].Label).Distinct().Order())
            {
                var group = members.Where(i => rows[i].Label == label).ToList();
                var opened = group.Count(i => scores[i] >= threshold);
                output.WriteLine(string.Create(inv, $"| {family} | {(label == 1 ? "concerning" : "ordinary")} | {group.Count} | {opened} ({(double)opened / group.Count:P0}) |"));
            }
        }

        return 0;
    }

    /// <summary>The chance a random concerning conversation outscores a random ordinary one (ties count half).</summary>
    private static double Auc(ScoredSet set, double[] scores)
    {
        var positives = Enumerable.Range(0, scores.Length).Where(i => set.Rows[i].Label == 1).Select(i => scores[i]).ToList();
        var negatives = Enumerable.Range(0, scores.Length).Where(i => set.Rows[i].Label == 0).Select(i => scores[i]).ToList();
        var wins = positives.Sum(p => negatives.Sum(n => p > n ? 1.0 : p == n ? 0.5 : 0));
        return wins / Math.Max(1, positives.Count * negatives.Count);
    }
}
