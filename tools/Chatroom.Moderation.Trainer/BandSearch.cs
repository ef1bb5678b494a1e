using System.Numerics;

namespace Chatroom.Moderation.Trainer;

/// <summary>
/// Chooses the heads' bands together under a cap on the share of rows that reach the second stage: every MiniLM
/// inference costs milliseconds of the process that also serves chat, and a row in several bands costs one inference,
/// so the share is that of the union of the bands over all own validation splits.
/// </summary>
/// <param name="mood">Rows in each mood candidate band (a bit per row).</param>
/// <param name="offensive">Rows in each offensive candidate band.</param>
/// <param name="hate">Rows in each hate candidate band.</param>
/// <param name="rows">How many rows the bits cover.</param>
internal sealed class BandSearch(IReadOnlyList<ulong[]> mood, IReadOnlyList<ulong[]> offensive, IReadOnlyList<ulong[]> hate, int rows)
{
    /// <summary>
    /// The combination with the best sum of the heads' figures among those whose share is at most
    /// <paramref name="maxShare"/>; among combinations within <see cref="SecondStageTrainer.BandTolerance"/> of that sum,
    /// the one with the smallest share (narrower bands that give up nothing measurable save inferences). When not even
    /// the narrowest bands fit the cap, the combination with the smallest share.
    /// </summary>
    public (int Mood, int Offensive, int Hate, double Share) Best(
        IReadOnlyList<BandCandidate> moodCandidates, IReadOnlyList<BandCandidate> offensiveCandidates, IReadOnlyList<BandCandidate> hateCandidates, double maxShare)
    {
        // A small epsilon: a cap of 0.2 must admit a share computed as 0.2000000001.
        var cap = maxShare + 1e-9;
        var best = double.NegativeInfinity;
        Visit((_, _, _, figure, share) =>
        {
            if (share <= cap)
            {
                best = Math.Max(best, figure);
            }
        });

        var chosen = (Mood: 0, Offensive: 0, Hate: 0, Figure: double.NegativeInfinity, Share: double.PositiveInfinity);
        Visit((m, o, h, figure, share) =>
        {
            var admitted = double.IsNegativeInfinity(best) || (share <= cap && figure >= best - SecondStageTrainer.BandTolerance);
            if (admitted && (share < chosen.Share || (share == chosen.Share && figure > chosen.Figure)))
            {
                chosen = (m, o, h, figure, share);
            }
        });

        return (chosen.Mood, chosen.Offensive, chosen.Hate, chosen.Share);

        void Visit(Action<int, int, int, double, double> visit)
        {
            var union = new ulong[mood.Count == 0 ? 0 : mood[0].Length];
            for (var m = 0; m < mood.Count; m++)
            {
                for (var o = 0; o < offensive.Count; o++)
                {
                    for (var i = 0; i < union.Length; i++)
                    {
                        union[i] = mood[m][i] | offensive[o][i];
                    }

                    for (var h = 0; h < hate.Count; h++)
                    {
                        visit(m, o, h, moodCandidates[m].Figure + offensiveCandidates[o].Figure + hateCandidates[h].Figure, Share(union, hate[h]));
                    }
                }
            }
        }
    }

    private double Share(ulong[] union, ulong[] hateBits)
    {
        var count = 0;
        for (var i = 0; i < union.Length; i++)
        {
            count += BitOperations.PopCount(union[i] | hateBits[i]);
        }

        return rows == 0 ? 0 : count / (double)rows;
    }
}
