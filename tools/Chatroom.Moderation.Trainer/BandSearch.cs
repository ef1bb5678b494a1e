using System.Numerics;

namespace Chatroom.Moderation.Trainer;

/// <summary>
/// Chooses the offensive and hate bands together under a cap on the share of rows that reach the second stage: every
/// MiniLM inference costs milliseconds of the process that also serves chat, and a row in both bands costs one
/// inference, so the share is that of the union (with the fixed mood band) over all own validation splits.
/// </summary>
/// <param name="mood">Rows in the mood band (bit per row).</param>
/// <param name="offensive">Rows in each offensive candidate band.</param>
/// <param name="hate">Rows in each hate candidate band.</param>
/// <param name="rows">How many rows the bits cover.</param>
internal sealed class BandSearch(ulong[] mood, IReadOnlyList<ulong[]> offensive, IReadOnlyList<ulong[]> hate, int rows)
{
    /// <summary>
    /// The pair with the best sum of both heads' combined macro-F1 among those whose share is at most
    /// <paramref name="maxShare"/>; among pairs within <see cref="SecondStageTrainer.BandTolerance"/> of that sum, the one
    /// with the smallest share (a narrower band that gives up nothing measurable saves inferences). When not even the
    /// empty bands fit (the mood band alone is over the cap), the pair with the smallest share.
    /// </summary>
    public (int Offensive, int Hate, double Share) Best(IReadOnlyList<BandCandidate> offensiveCandidates, IReadOnlyList<BandCandidate> hateCandidates, double maxShare)
    {
        var pairs = new List<(int O, int H, double F1, double Share)>(offensive.Count * hate.Count);
        for (var o = 0; o < offensive.Count; o++)
        {
            for (var h = 0; h < hate.Count; h++)
            {
                pairs.Add((o, h, offensiveCandidates[o].F1 + hateCandidates[h].F1, Share(offensive[o], hate[h])));
            }
        }

        // A small epsilon: a cap of 0.2 must admit a share computed as 0.2000000001.
        var feasible = pairs.Where(p => p.Share <= maxShare + 1e-9).ToList();
        if (feasible.Count == 0)
        {
            var smallest = pairs.OrderBy(p => p.Share).ThenByDescending(p => p.F1).First();
            return (smallest.O, smallest.H, smallest.Share);
        }

        var best = feasible.Max(p => p.F1);
        var chosen = feasible.Where(p => p.F1 >= best - SecondStageTrainer.BandTolerance).OrderBy(p => p.Share).ThenByDescending(p => p.F1).First();
        return (chosen.O, chosen.H, chosen.Share);
    }

    private double Share(ulong[] offensiveBits, ulong[] hateBits)
    {
        var count = 0;
        for (var i = 0; i < mood.Length; i++)
        {
            count += BitOperations.PopCount(mood[i] | offensiveBits[i] | hateBits[i]);
        }

        return rows == 0 ? 0 : count / (double)rows;
    }
}
