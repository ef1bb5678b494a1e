using System.Globalization;
using Chatroom.Analysis.Moderation.Classifiers;

namespace Chatroom.Moderation.Trainer;

/// <summary>
/// Reads the labelled tweets, holds out a seeded validation share of each file, trains the mood, offensive and hate
/// heads, rounds the weights to what the model file stores, then fits calibration and decision thresholds on the
/// held-out share and reports the figures there and on the provided validation files.
/// </summary>
public static class TrainingRun
{
    public static TrainingResult Train(TrainingOptions options, TextWriter log)
    {
        var weights = new float[TrainedFeatures.SlotCount * TrainedModel.Outputs];
        var bias = new float[TrainedModel.Outputs];

        var extra = options.Extra.Count == 0 ? ([], [], []) : ExtraRows.Read(options, log);
        var mood = Load(options, TrainingOptions.MoodFile, TrainingOptions.MoodValidationFile, TrainingOptions.MoodLabels, extra.Mood, log);
        var offensive = Load(options, TrainingOptions.OffensiveFile, TrainingOptions.OffensiveValidationFile, TrainingOptions.OffensiveLabels, extra.Offensive, log);
        var hate = Load(options, TrainingOptions.HateFile, TrainingOptions.HateValidationFile, TrainingOptions.HateLabels, extra.Hate, log);

        LinearTrainer.Train(mood.Train, weights, bias, TrainedModel.MoodSad, 3, options.Mood, options.Seed);
        LinearTrainer.Train(offensive.Train, weights, bias, TrainedModel.Offensive, 1, options.Offensive, options.Seed + 1);
        LinearTrainer.Train(hate.Train, weights, bias, TrainedModel.Hate, 1, options.Hate, options.Seed + 2);

        // Calibrate the weights that ship (half precision), not the training copy.
        var raw = new TrainedModel(TrainedModel.RoundToStored(weights), bias, new TrainedCalibration());
        var moodLogits = mood.Validation.Select(e => Logits(raw, e)[..3]).ToList();
        var moodLabels = mood.Validation.Select(e => e.Label).ToList();
        var (temperature, offsets) = Calibrator.FitSoftmax(moodLogits, moodLabels);
        var (offensiveSlope, offensiveOffset) = Calibrator.FitPlatt(offensive.Validation.Select(e => Logits(raw, e)[TrainedModel.Offensive]).ToList(), offensive.Validation.Select(e => e.Label).ToList());
        var (hateSlope, hateOffset) = Calibrator.FitPlatt(hate.Validation.Select(e => Logits(raw, e)[TrainedModel.Hate]).ToList(), hate.Validation.Select(e => e.Label).ToList());
        var calibration = new TrainedCalibration
        {
            MoodTemperature = temperature,
            MoodOffsets = offsets,
            OffensiveSlope = offensiveSlope,
            OffensiveOffset = offensiveOffset,
            HateSlope = hateSlope,
            HateOffset = hateOffset,
        };

        var calibrated = new TrainedModel(TrainedModel.RoundToStored(weights), bias, calibration);
        var moodProbabilities = mood.Validation.Select(e => MoodProbabilities(calibrated, e)).ToList();
        calibration = calibration with
        {
            MoodDecision = Calibrator.FitMacroRecallDecision(moodProbabilities, moodLabels),
            OffensiveThreshold = Calibrator.FitThreshold(offensive.Validation.Select(e => Scores(calibrated, e).Offensive).ToList(), offensive.Validation.Select(e => e.Label).ToList()),
            HateThreshold = Calibrator.FitThreshold(hate.Validation.Select(e => Scores(calibrated, e).Hate).ToList(), hate.Validation.Select(e => e.Label).ToList()),
        };

        var model = new TrainedModel(TrainedModel.RoundToStored(weights), bias, calibration);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"calibration: mood temperature {calibration.MoodTemperature:F3}, offsets [{string.Join(", ", calibration.MoodOffsets.Select(o => o.ToString("F3", CultureInfo.InvariantCulture)))}], decision [{string.Join(", ", calibration.MoodDecision.Select(o => o.ToString("F2", CultureInfo.InvariantCulture)))}]"));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"calibration: offensive slope {calibration.OffensiveSlope:F3} offset {calibration.OffensiveOffset:F3} threshold {calibration.OffensiveThreshold:F2}; hate slope {calibration.HateSlope:F3} offset {calibration.HateOffset:F3} threshold {calibration.HateThreshold:F2}"));

        var figures = new ValidationFigures(
            MoodRecall(model, mood.Validation, log, "mood, own validation split"),
            BinaryF1(model, offensive.Validation, TrainedModel.Offensive, log, "offensive, own validation split"),
            BinaryF1(model, hate.Validation, TrainedModel.Hate, log, "hate, own validation split"),
            mood.Provided is { } m ? MoodRecall(model, m, log, TrainingOptions.MoodValidationFile) : double.NaN,
            offensive.Provided is { } o ? BinaryF1(model, o, TrainedModel.Offensive, log, TrainingOptions.OffensiveValidationFile) : double.NaN,
            hate.Provided is { } h ? BinaryF1(model, h, TrainedModel.Hate, log, TrainingOptions.HateValidationFile) : double.NaN);
        if (options.Embeddings is null)
        {
            return new TrainingResult(model, figures);
        }

        var (heads, secondFigures) = SecondStageTrainer.Train(model, mood, offensive, hate, options, options.Embeddings, log);
        return new TrainingResult(model, figures, heads, secondFigures);
    }

    private static TaskData Load(TrainingOptions options, string file, string providedValidation, string[] labels, List<LabelledText> extra, TextWriter log)
    {
        // The TweetEval sentiment validation tweets also sit in the SemEval file; leaving them out keeps that file a clean check.
        var providedPath = Path.Combine(options.DataDirectory, providedValidation);
        var provided = File.Exists(providedPath)
            ? LabelledText.ReadTsv(providedPath, labels).Select(r => r.Text).ToHashSet(StringComparer.Ordinal)
            : [];
        var all = LabelledText.ReadTsv(Path.Combine(options.DataDirectory, file), labels, options.RowLimit);
        var rows = all.Where(r => !provided.Contains(r.Text)).ToList();
        var order = Enumerable.Range(0, rows.Count).ToArray();
        new Random(options.Seed).Shuffle(order);
        var held = (int)Math.Round(rows.Count * options.ValidationShare);
        var validation = Featurizer.Extract(order[..held].Select(i => rows[i]));

        // Extra rows train only, and come first so a second stage limited to the first rows still sees them.
        var train = Featurizer.Extract(extra.Concat(order[held..].Select(i => rows[i])));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}: {rows.Count} rows ({all.Count - rows.Count} left out as they are in {providedValidation}; {string.Join(", ", labels.Select((l, c) => $"{l} {rows.Count(r => r.Label == c)}"))}); training {train.Count}{(extra.Count > 0 ? $" ({extra.Count} extra)" : string.Empty)}, validation {validation.Count} (seed {options.Seed})"));
        return new TaskData(train, validation, File.Exists(providedPath) ? Featurizer.Extract(LabelledText.ReadTsv(providedPath, labels, options.RowLimit)) : null);
    }

    private static double[] Logits(TrainedModel model, Example example)
    {
        var logits = new double[TrainedModel.Outputs];
        model.Logits(example.Slots, example.Values, logits);
        return logits;
    }

    internal static TrainedScores Scores(TrainedModel model, Example example) => model.Calibration.Apply(Logits(model, example));

    private static double[] MoodProbabilities(TrainedModel model, Example example)
    {
        var scores = Scores(model, example);
        return [scores.Sad, scores.Neutral, scores.Happy];
    }

    private static double MoodRecall(TrainedModel model, List<Example> rows, TextWriter log, string name)
    {
        var expected = rows.Select(e => e.Label).ToList();
        var predicted = rows.Select(e => Scores(model, e).MoodClass).ToList();
        var recall = Metrics.MacroRecall(expected, predicted, 3);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-36} n={rows.Count,6} mood macro-recall {recall:F3} accuracy {Metrics.Accuracy(expected, predicted):F3}"));
        return recall;
    }

    private static double BinaryF1(TrainedModel model, List<Example> rows, int output, TextWriter log, string name)
    {
        var threshold = output == TrainedModel.Offensive ? model.Calibration.OffensiveThreshold : model.Calibration.HateThreshold;
        var probabilities = rows.Select(e => output == TrainedModel.Offensive ? Scores(model, e).Offensive : Scores(model, e).Hate).ToList();
        var expected = rows.Select(e => e.Label).ToList();
        var predicted = probabilities.Select(p => p >= threshold ? 1 : 0).ToList();
        var atHalf = probabilities.Select(p => p >= 0.5 ? 1 : 0).ToList();
        var f1 = Metrics.BinaryMacroF1(expected, predicted);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-36} n={rows.Count,6} macro-F1 {f1:F3} (at p≥0.5: {Metrics.BinaryMacroF1(expected, atHalf):F3}) accuracy {Metrics.Accuracy(expected, predicted):F3} log-loss {Metrics.LogLoss(expected, probabilities):F3}"));
        return f1;
    }
}
