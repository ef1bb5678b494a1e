using System.Globalization;
using Chatroom.Analysis.Moderation.Classifiers;

namespace Chatroom.Moderation.Trainer;

/// <summary>
/// Trains the second stage (<see cref="EmbeddingHeads"/>) after the first tier: linear heads on the MiniLM vectors of
/// the training rows (all of them, or the first <see cref="TrainingOptions.SecondStageRowLimit"/> of each file's seeded
/// order), then on the validation split the combination with the first tier's calibrated scores (log-loss), the
/// combined decision rule, and the uncertain band per head: the offensive and hate bands together, the pair with the
/// best combined macro-F1 whose share of own validation rows reaching the stage is at most
/// <see cref="TrainingOptions.SecondStageMaxShare"/> (<see cref="BandSearch"/>), so only the messages where an embedding
/// helps most pay for one.
/// </summary>
public static class SecondStageTrainer
{
    /// <summary>How much of the best combined figure a narrower band (one that sends fewer rows to the stage) may give up.</summary>
    public const double BandTolerance = 0.002;

    public static (EmbeddingHeads Heads, SecondStageFigures Figures) Train(TrainedModel first, TaskData mood, TaskData offensive, TaskData hate, TrainingOptions options, SentenceEmbeddings embeddings, TextWriter log)
    {
        var weights = new float[EmbeddingHeads.Dimensions * TrainedModel.Outputs];
        var bias = new float[TrainedModel.Outputs];
        var limit = options.SecondStageRowLimit;
        if (options.SecondStageMood is { } moodSettings)
        {
            TrainHead(mood.Train.Take(limit).ToList(), TrainedModel.MoodSad, 3, moodSettings, options.Seed + 10);
        }

        TrainHead(offensive.Train.Take(limit).ToList(), TrainedModel.Offensive, 1, options.SecondStageBinary, options.Seed + 11);
        TrainHead(hate.Train.Take(limit).ToList(), TrainedModel.Hate, 1, options.SecondStageBinary, options.Seed + 12);
        var raw = new EmbeddingHeads(weights, bias, new SecondStageCalibration());

        var offensiveRows = Rows(first, raw, offensive.Validation, embeddings, log);
        var hateRows = Rows(first, raw, hate.Validation, embeddings, log);
        var (calibration, moodCandidates) = options.SecondStageMood is null
            ? (new SecondStageCalibration(), [new BandCandidate(0, 0, 0)])
            : Mood(first, raw, mood, embeddings, log);
        var offensiveFit = Binary(offensiveRows, r => r.First.Offensive, TrainedModel.Offensive, first.Calibration.OffensiveThreshold);
        var hateFit = Binary(hateRows, r => r.First.Hate, TrainedModel.Hate, first.Calibration.HateThreshold);

        // The share is counted as the service pays it: a row of any own split reaches the stage when any head's band holds it.
        var ownRows = mood.Validation.Concat(offensive.Validation).Concat(hate.Validation).Select(e => TrainingRun.Scores(first, e)).ToList();
        var bands = new BandSearch(
            moodCandidates.Select(c => Members(ownRows, s => Math.Max(s.Sad, Math.Max(s.Neutral, s.Happy)) < c.Low)).ToList(),
            offensiveFit.Candidates.Select(c => Members(ownRows, s => s.Offensive >= c.Low && s.Offensive <= c.High)).ToList(),
            hateFit.Candidates.Select(c => Members(ownRows, s => s.Hate >= c.Low && s.Hate <= c.High)).ToList(),
            ownRows.Count);
        foreach (var cap in (double?[])[0.1, 0.2, 0.3, null])
        {
            var (mi, oi, hi, share) = bands.Best(moodCandidates, offensiveFit.Candidates, hateFit.Candidates, cap ?? 1);
            var (offensiveBest, hateBest) = (offensiveFit.Candidates[oi], hateFit.Candidates[hi]);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"second stage share cap {(cap is { } capValue ? capValue.ToString("F1", CultureInfo.InvariantCulture) : "none"),-4}: {(options.SecondStageMood is null ? "" : $"mood band {moodCandidates[mi].Low:F2} macro-recall {moodCandidates[mi].Figure:F3}, ")}offensive band [{offensiveBest.Low:F2}, {offensiveBest.High:F2}] macro-F1 {offensiveBest.Figure:F3}, hate band [{hateBest.Low:F2}, {hateBest.High:F2}] macro-F1 {hateBest.Figure:F3}; {share:P1} of the own split reach the stage"));
        }

        var (moodBand, offensiveBand, hateBand, _) = bands.Best(moodCandidates, offensiveFit.Candidates, hateFit.Candidates, options.SecondStageMaxShare);
        calibration = calibration with
        {
            MoodBand = moodCandidates[moodBand].Low,
            Offensive = offensiveFit.Stage with { BandLow = offensiveFit.Candidates[offensiveBand].Low, BandHigh = offensiveFit.Candidates[offensiveBand].High },
            Hate = hateFit.Stage with { BandLow = hateFit.Candidates[hateBand].Low, BandHigh = hateFit.Candidates[hateBand].High },
        };

        var heads = new EmbeddingHeads(weights, bias, calibration);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"second stage: mood band max p < {calibration.MoodBand:F2}, weights first {calibration.MoodFirstWeight:F3} second {calibration.MoodSecondWeight:F3}, decision [{string.Join(", ", calibration.MoodDecision.Select(o => o.ToString("F2", CultureInfo.InvariantCulture)))}]"));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"second stage: offensive band [{calibration.Offensive.BandLow:F2}, {calibration.Offensive.BandHigh:F2}] weights {calibration.Offensive.FirstWeight:F3}/{calibration.Offensive.SecondWeight:F3} threshold {calibration.Offensive.Threshold:F2}; hate band [{calibration.Hate.BandLow:F2}, {calibration.Hate.BandHigh:F2}] weights {calibration.Hate.FirstWeight:F3}/{calibration.Hate.SecondWeight:F3} threshold {calibration.Hate.Threshold:F2}"));

        var figures = new SecondStageFigures(
            Evaluate(first, heads, mood.Validation, TaskKind.Mood, embeddings, log, "mood, own validation split"),
            Evaluate(first, heads, offensive.Validation, TaskKind.Offensive, embeddings, log, "offensive, own validation split"),
            Evaluate(first, heads, hate.Validation, TaskKind.Hate, embeddings, log, "hate, own validation split"),
            mood.Provided is { } m ? Evaluate(first, heads, m, TaskKind.Mood, embeddings, log, TrainingOptions.MoodValidationFile) : null,
            offensive.Provided is { } o ? Evaluate(first, heads, o, TaskKind.Offensive, embeddings, log, TrainingOptions.OffensiveValidationFile) : null,
            hate.Provided is { } h ? Evaluate(first, heads, h, TaskKind.Hate, embeddings, log, TrainingOptions.HateValidationFile) : null);
        return (heads, figures);

        void TrainHead(List<Example> rows, int output, int classes, HeadSettings settings, int seed)
        {
            var vectors = embeddings.Embed(rows.Select(r => r.Text).ToList(), log);
            DenseTrainer.Train(vectors, rows, weights, bias, output, classes, settings, seed);
        }
    }

    private enum TaskKind
    {
        Mood,
        Offensive,
        Hate,
    }

    private sealed record Row(TrainedScores First, double[] Logits, int Label);

    private static List<Row> Rows(TrainedModel first, EmbeddingHeads heads, List<Example> examples, SentenceEmbeddings embeddings, TextWriter log)
    {
        var vectors = embeddings.Embed(examples.Select(e => e.Text).ToList(), log);
        return examples.Select((e, i) =>
        {
            var logits = new double[TrainedModel.Outputs];
            heads.Logits(vectors[i], logits);
            return new Row(TrainingRun.Scores(first, e), logits, e.Label);
        }).ToList();
    }

    /// <summary>The mood combination and decision offsets, fitted on the mood validation split, and its candidate bands.</summary>
    private static (SecondStageCalibration Calibration, List<BandCandidate> Bands) Mood(TrainedModel first, EmbeddingHeads raw, TaskData mood, SentenceEmbeddings embeddings, TextWriter log)
    {
        var moodRows = Rows(first, raw, mood.Validation, embeddings, log);
        var (firstWeight, secondWeight, offsets) = Calibrator.FitSoftmaxBlend(
            moodRows.Select(r => new[] { Math.Log(r.First.Sad), Math.Log(r.First.Neutral), Math.Log(r.First.Happy) }).ToList(),
            moodRows.Select(r => r.Logits[..3]).ToList(),
            moodRows.Select(r => r.Label).ToList());
        var calibration = new SecondStageCalibration { MoodFirstWeight = firstWeight, MoodSecondWeight = secondWeight, MoodOffsets = offsets };
        var combinedMood = moodRows.Select(r => CombinedMood(calibration, r)).ToList();
        var moodDecision = Calibrator.FitMacroRecallDecision(combinedMood, moodRows.Select(r => r.Label).ToList());
        return (calibration with { MoodDecision = moodDecision },
            MoodBands(moodRows, combinedMood.Select(p => Calibrator.ArgMax(p.Select(v => Math.Log(Math.Max(v, 1e-12))).ToArray(), moodDecision)).ToList()));
    }

    private static double[] CombinedMood(SecondStageCalibration calibration, Row row)
    {
        var probabilities = new double[3];
        EmbeddingHeads.CombineMood(calibration, [row.First.Sad, row.First.Neutral, row.First.Happy], row.Logits.AsSpan(0, 3), probabilities);
        return probabilities;
    }

    /// <summary>Candidate mood bands: uncertain when the first tier's top probability is below it (0.35–1.0, or 0 for never), with the macro-recall each gives.</summary>
    private static List<BandCandidate> MoodBands(List<Row> rows, List<int> combinedClass)
    {
        var labels = rows.Select(r => r.Label).ToList();
        var candidates = new List<BandCandidate>();
        foreach (var band in (double[])[0, .. Enumerable.Range(7, 14).Select(i => i * 0.05), 1.01])
        {
            var predicted = rows.Select((r, i) => Math.Max(r.First.Sad, Math.Max(r.First.Neutral, r.First.Happy)) < band ? combinedClass[i] : r.First.MoodClass).ToList();
            candidates.Add(new BandCandidate(Math.Round(band, 2), Math.Round(band, 2), Metrics.MacroRecall(labels, predicted, 3)));
        }

        return candidates;
    }

    /// <summary>
    /// One head's combination and threshold, and its candidate bands (a 0.05 grid around the first tier's threshold,
    /// plus the empty band) with the combined macro-F1 each gives on the head's validation rows.
    /// </summary>
    private static (BinaryStage Stage, List<BandCandidate> Candidates) Binary(List<Row> rows, Func<Row, double> firstProbability, int output, double firstThreshold)
    {
        var labels = rows.Select(r => r.Label).ToList();
        var coefficients = Calibrator.FitLogistic(rows.Select(r => new[] { BinaryStage.Logit(firstProbability(r)), r.Logits[output], 1.0 }).ToList(), labels);
        var stage = new BinaryStage(0, 1, coefficients[0], coefficients[1], coefficients[2], 0.5);
        var combined = rows.Select(r => stage.Combine(firstProbability(r), r.Logits[output])).ToList();
        var threshold = Calibrator.FitThreshold(combined, labels);

        var edges = Enumerable.Range(0, 21).Select(i => i * 0.05).Append(firstThreshold).Distinct().Order().ToList();
        var candidates = new List<BandCandidate>();
        foreach (var low in edges.Where(e => e <= firstThreshold))
        {
            foreach (var high in edges.Where(e => e >= firstThreshold))
            {
                var (bandLow, bandHigh) = (Math.Round(low, 2), Math.Round(high, 2));
                var predicted = rows.Select((r, i) =>
                    (firstProbability(r) >= bandLow && firstProbability(r) <= bandHigh ? combined[i] >= threshold : firstProbability(r) >= firstThreshold) ? 1 : 0).ToList();
                candidates.Add(new BandCandidate(bandLow, bandHigh, Metrics.BinaryMacroF1(labels, predicted)));
            }
        }

        // The first tier alone: an empty band, always under any cap.
        candidates.Add(new BandCandidate(1, 0, Metrics.BinaryMacroF1(labels, rows.Select(r => firstProbability(r) >= firstThreshold ? 1 : 0).ToList())));
        return (stage with { Threshold = threshold }, candidates);
    }

    private static ulong[] Members(List<TrainedScores> rows, Func<TrainedScores, bool> inBand)
    {
        var bits = new ulong[(rows.Count + 63) / 64];
        for (var i = 0; i < rows.Count; i++)
        {
            if (inBand(rows[i]))
            {
                bits[i / 64] |= 1UL << (i % 64);
            }
        }

        return bits;
    }

    private static StageFigures Evaluate(TrainedModel first, EmbeddingHeads heads, List<Example> examples, TaskKind task, SentenceEmbeddings embeddings, TextWriter log, string name)
    {
        // As the service does: only the rows some head is unsure about are embedded.
        var firstScores = examples.Select(e => TrainingRun.Scores(first, e)).ToList();
        var uncertainRows = Enumerable.Range(0, examples.Count).Where(i => heads.IsUncertain(firstScores[i])).ToList();
        var embedded = embeddings.Embed(uncertainRows.Select(i => examples[i].Text).ToList(), log);
        var vectors = new float[examples.Count][];
        for (var k = 0; k < uncertainRows.Count; k++)
        {
            vectors[uncertainRows[k]] = embedded[k];
        }

        var decision = first.Calibration.MoodDecision;
        var c = heads.Calibration;
        var expected = examples.Select(e => e.Label).ToList();
        var firstPredicted = new List<int>(examples.Count);
        var combinedPredicted = new List<int>(examples.Count);
        for (var i = 0; i < examples.Count; i++)
        {
            var scores = firstScores[i];
            var refined = vectors[i] is { } vector ? heads.Refine(scores, vector, decision) : scores;
            switch (task)
            {
                case TaskKind.Mood:
                    firstPredicted.Add(scores.MoodClass);
                    combinedPredicted.Add(refined.MoodClass);
                    break;
                case TaskKind.Offensive:
                    firstPredicted.Add(scores.Offensive >= first.Calibration.OffensiveThreshold ? 1 : 0);
                    combinedPredicted.Add((c.Offensive.InBand(scores.Offensive) ? refined.Offensive >= c.Offensive.Threshold : scores.Offensive >= first.Calibration.OffensiveThreshold) ? 1 : 0);
                    break;
                default:
                    firstPredicted.Add(scores.Hate >= first.Calibration.HateThreshold ? 1 : 0);
                    combinedPredicted.Add((c.Hate.InBand(scores.Hate) ? refined.Hate >= c.Hate.Threshold : scores.Hate >= first.Calibration.HateThreshold) ? 1 : 0);
                    break;
            }
        }

        var figure = task == TaskKind.Mood ? (Func<List<int>, double>)(p => Metrics.MacroRecall(expected, p, 3)) : p => Metrics.BinaryMacroF1(expected, p);
        var result = new StageFigures(figure(firstPredicted), figure(combinedPredicted), examples.Count == 0 ? 0 : uncertainRows.Count / (double)examples.Count, examples.Count);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-36} n={examples.Count,6} {(task == TaskKind.Mood ? "macro-recall" : "macro-F1")} first tier {result.FirstTier:F3}, with second stage {result.Combined:F3}; {result.Share:P1} reach the second stage"));
        return result;
    }
}
