using Chatroom.Analysis.Guardian;

namespace Chatroom.Guardian.Eval;

/// <summary>A split's conversations with their features under one model.</summary>
internal sealed record ScoredSet(IReadOnlyList<LabelledConversation> Rows, IReadOnlyList<GuardianFeatures> Features)
{
    public static async Task<ScoredSet> ScoreAsync(IReadOnlyList<LabelledConversation> rows, GuardianScorer scorer, CancellationToken cancellationToken)
    {
        var features = new List<GuardianFeatures>(rows.Count);
        foreach (var row in rows)
        {
            features.Add(await scorer.FeaturesAsync(row.ToTranscript(), cancellationToken).ConfigureAwait(false));
        }

        return new ScoredSet(rows, features);
    }

    /// <summary>Scores under <paramref name="model"/>; a conversation without a minor never opens a case, so it scores 0.</summary>
    public double[] Scores(GuardianModel model) =>
        Features.Select(f => f.MinorPresent ? model.Combine(f.Values) : 0).ToArray();

    /// <summary>(recall on concerning, false-alarm rate on ordinary) at <paramref name="threshold"/>.</summary>
    public (double Recall, double FalseAlarms, int Caught, int Alarms) Rates(double[] scores, double threshold)
    {
        int positives = 0, caught = 0, negatives = 0, alarms = 0;
        for (var i = 0; i < Rows.Count; i++)
        {
            var opens = scores[i] >= threshold;
            if (Rows[i].Label == 1)
            {
                positives++;
                caught += opens ? 1 : 0;
            }
            else
            {
                negatives++;
                alarms += opens ? 1 : 0;
            }
        }

        return ((double)caught / Math.Max(1, positives), (double)alarms / Math.Max(1, negatives), caught, alarms);
    }
}
