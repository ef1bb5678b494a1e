using System.Globalization;
using Chatroom.Analysis.Knowledge;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Guardian;

/// <summary>
/// The embedded guardian scorer: no model server. Each line is embedded with the local MiniLM; the lines of the parties older
/// than the youngest are compared with every signal's exemplars, and every line (both sides) with the benign-context
/// exemplars (family, school, club); the conversation's features (age gap, who made first contact, who does the talking
/// and whether the younger side answers, whether the signals grow over the window and recur, late hours) join them, and
/// the fitted logistic model (<see cref="GuardianModel"/>) turns the lot into one calibrated score.
/// </summary>
public sealed class GuardianScorer(
    LocalEmbeddingGenerator embeddings, GuardianExemplarIndex index, GuardianModel model, IOptionsMonitor<GuardianOptions>? options = null)
{
    /// <summary>Ages below this are minors.</summary>
    public const int AdultAge = 18;

    /// <summary>An activation at or above this counts as the signal being present (signal_count, evidence).</summary>
    private const double Present = 0.5;

    private const int EvidencePerSignal = 3;

    public GuardianModel Model => model;

    /// <summary>The threshold in force: configuration, else the fitted model's.</summary>
    public double Threshold => options?.CurrentValue.Threshold ?? model.Threshold;

    public Task<GuardianScore> ScoreAsync(GuardianTranscript transcript, CancellationToken cancellationToken) =>
        ScoreAsync(transcript, Threshold, cancellationToken);

    /// <summary>Scores against <paramref name="threshold"/> (an admin's setting) instead of the configured one.</summary>
    public async Task<GuardianScore> ScoreAsync(GuardianTranscript transcript, double threshold, CancellationToken cancellationToken)
    {
        var features = await FeaturesAsync(transcript, cancellationToken).ConfigureAwait(false);
        var score = model.Combine(features.Values);
        var signals = new List<GuardianSignalScore>();
        for (var i = 0; i < GuardianSignals.All.Count; i++)
        {
            var name = GuardianSignals.All[i];
            if (features.Values[i] > 0)
            {
                signals.Add(new GuardianSignalScore(name, Math.Round(features.Values[i], 3), features.Evidence.GetValueOrDefault(name) ?? []));
            }
        }

        signals.Sort((a, b) => b.Score.CompareTo(a.Score));
        return new GuardianScore(Math.Round(score, 4), signals, features.MinorPresent && score >= threshold);
    }

    /// <summary>The feature vector (in <see cref="GuardianSignals.All"/> order) and the evidence behind it.</summary>
    public async Task<GuardianFeatures> FeaturesAsync(GuardianTranscript transcript, CancellationToken cancellationToken)
    {
        var values = new double[GuardianSignals.All.Count];
        var evidence = new Dictionary<string, IReadOnlyList<string>>();
        var ages = transcript.Participants.ToDictionary(p => p.Id, p => p.Age ?? AdultAge);
        if (ages.Count == 0 || transcript.Messages.Count == 0)
        {
            return new GuardianFeatures(values, evidence, false);
        }

        var youngest = transcript.Participants.MinBy(p => p.Age ?? AdultAge)!;
        var youngestAge = ages[youngest.Id];
        var minorPresent = youngestAge < AdultAge;
        var watched = transcript.Messages.Where(m => m.From != youngest.Id).ToList();
        var oldest = ages.Where(a => a.Key != youngest.Id).Select(a => a.Value).DefaultIfEmpty(youngestAge).Max();

        var (activations, context) = await ActivationsAsync(transcript.Messages, youngest.Id, cancellationToken).ConfigureAwait(false);
        for (var s = 0; s < GuardianSignals.Message.Count; s++)
        {
            var lines = Enumerable.Range(0, watched.Count).Where(m => activations[m][s] > 0).OrderByDescending(m => activations[m][s]).ToList();
            values[s] = lines.Count > 0 ? activations[lines[0]][s] : 0;
            if (lines.Count > 0)
            {
                evidence[GuardianSignals.Message[s]] = lines.Take(EvidencePerSignal).Select(m => watched[m].Text).ToList();
            }
        }

        var conversation = GuardianSignals.Message.Count;
        if (minorPresent && oldest > youngestAge)
        {
            values[conversation] = Math.Clamp((oldest - youngestAge) / 20.0, 0, 1);
            evidence[GuardianSignals.AgeGap] = [string.Create(CultureInfo.InvariantCulture, $"ages {oldest} and {youngestAge}")];
        }

        if ((transcript.FirstContact ?? true) && transcript.Messages[0].From != youngest.Id)
        {
            values[conversation + 1] = 1;
            evidence[GuardianSignals.FirstContact] = [transcript.Messages[0].Text];
        }

        values[conversation + 2] = (double)watched.Count / transcript.Messages.Count;
        values[conversation + 3] = Escalation(activations);
        values[conversation + 4] = LateShare(transcript.Messages);
        values[conversation + 5] = Math.Min(1, values.Take(conversation).Count(v => v >= Present) / 4.0);
        values[conversation + 6] = context;
        values[conversation + 7] = watched.Count == 0 ? 1 : Math.Min(1, (double)(transcript.Messages.Count - watched.Count) / watched.Count);
        values[conversation + 8] = Math.Min(1, Math.Max(0, activations.Count(a => a.Max() >= Present) - 1) / 3.0);
        return new GuardianFeatures(values, evidence, minorPresent);
    }

    /// <summary>
    /// [line][signal] activations of the watched lines (all but <paramref name="youngest"/>'s), each line's "+" cosine less how
    /// far its "-" look-alike beats it; and the strongest benign-context activation over every line, both sides.
    /// </summary>
    private async Task<(double[][] Watched, double Context)> ActivationsAsync(IReadOnlyList<GuardianLine> lines, string youngest, CancellationToken cancellationToken)
    {
        if (lines.Count == 0)
        {
            return ([], 0);
        }

        var embedded = (await embeddings.GenerateAsync(lines.Select(l => l.Text), cancellationToken: cancellationToken).ConfigureAwait(false))
            .Select(e => e.Vector.ToArray()).ToList();
        var context = (await index.CompareContextAsync(embedded, GuardianSignals.BenignContext, cancellationToken).ConfigureAwait(false))
            .Select(model.Activation).Max();
        var watched = Enumerable.Range(0, lines.Count).Where(i => lines[i].From != youngest).Select(i => embedded[i]).ToList();
        var cosines = await index.CompareAsync(watched, cancellationToken).ConfigureAwait(false);
        return (cosines.Select(row => row.Select(c => model.Activation(c.Positive - Math.Max(0, c.Negative - c.Positive))).ToArray()).ToArray(), context);
    }

    /// <summary>How much stronger the watched party's lines are in the second half of the window than in the first.</summary>
    private static double Escalation(double[][] activations)
    {
        if (activations.Length < 2)
        {
            return 0;
        }

        var strongest = activations.Select(a => a.Max()).ToArray();
        var half = strongest.Length / 2;
        return Math.Clamp(strongest[half..].Average() - strongest[..half].Average(), 0, 1);
    }

    /// <summary>The share of timed messages sent between 21:00 and 06:00 (UTC: the scorer knows no one's time zone).</summary>
    private static double LateShare(IReadOnlyList<GuardianLine> messages)
    {
        var timed = messages.Where(m => m.SentAt is not null).Select(m => m.SentAt!.Value.UtcDateTime.Hour).ToList();
        return timed.Count == 0 ? 0 : (double)timed.Count(h => h >= 21 || h < 6) / timed.Count;
    }
}
