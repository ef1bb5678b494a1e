using System.Security.Cryptography;
using Chatroom.Analysis.Moderation.Classifiers;
using Chatroom.Testing.Hosting;

namespace Chatroom.Moderation.Trainer.Tests;

/// <summary>Training on a small fixed sample: the same data and seed give the same model files, byte for byte.</summary>
public sealed class TrainingReproducibilityTests(SampleEmbeddings embeddings) : IClassFixture<SampleEmbeddings>
{
    // Half the first tier's sample: MiniLM embeds about 20-40 tweets a second on a shared 2-core machine.
    private TrainingOptions WithSecondStage(int seed) => Sample(seed) with { Embeddings = embeddings.Vectors, RowLimit = 300 };

    private static TrainingOptions Sample(int seed) => new TrainingOptions(Datasets.Directory) with
    {
        Seed = seed,
        RowLimit = 600,
        ValidationShare = 0.2,
        Mood = new HeadSettings(0.1, 3e-4, 2, BalancedClasses: true),
        Offensive = new HeadSettings(0.1, 3e-4, 2, BalancedClasses: true),
        Hate = new HeadSettings(0.1, 3e-4, 2, BalancedClasses: true),
    };

    [Fact]
    public void SameDataAndSeed_GiveTheSameWeightsHash()
    {
        var first = TrainingRun.Train(WithSecondStage(7), TextWriter.Null);
        var second = TrainingRun.Train(WithSecondStage(7), TextWriter.Null);
        var otherSeed = TrainingRun.Train(WithSecondStage(8), TextWriter.Null);

        Assert.Equal(Hash(first.Model), Hash(second.Model));
        Assert.NotEqual(Hash(first.Model), Hash(otherSeed.Model));
        Assert.Equal(Hash(first.SecondStage!), Hash(second.SecondStage!));
        Assert.NotEqual(Hash(first.SecondStage!), Hash(otherSeed.SecondStage!));
    }

    [Fact]
    public void SecondStage_ReportsTheShareThatReachesIt_AndItsFiguresBesideTheFirstTiers()
    {
        var log = new StringWriter();
        var result = TrainingRun.Train(WithSecondStage(7), log);
        var figures = result.SecondStageFigures!;

        Assert.InRange(figures.Share, 0, 1);
        Assert.Equal(result.Figures.OffensiveMacroF1, figures.Offensive.FirstTier, 6);
        Assert.Equal(result.Figures.HateMacroF1, figures.Hate.FirstTier, 6);
        Assert.Equal(result.Figures.MoodMacroRecall, figures.Mood.FirstTier, 6);
        Assert.InRange(figures.Offensive.Combined, 0.5, 1);
        Assert.NotNull(figures.ProvidedOffensive);
        Assert.Contains("reach the second stage", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void SecondStageBands_SendNoMoreThanTheCappedShareOfRows_AndTheLogComparesCaps()
    {
        var log = new StringWriter();
        var capped = TrainingRun.Train(WithSecondStage(7) with { SecondStageMaxShare = 0.1 }, log).SecondStageFigures!;
        var uncapped = TrainingRun.Train(WithSecondStage(7) with { SecondStageMaxShare = 1 }, TextWriter.Null).SecondStageFigures!;

        Assert.InRange(capped.Share, 0, 0.1);
        Assert.True(uncapped.Share >= capped.Share, $"uncapped {uncapped.Share:P1} < capped {capped.Share:P1}");
        Assert.Contains("second stage share cap 0.1", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("second stage share cap none", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void WrittenHeads_ReadBackWithTheSameScores()
    {
        var heads = TrainingRun.Train(WithSecondStage(7), TextWriter.Null).SecondStage!;
        using var stream = new MemoryStream();
        heads.Write(stream);
        stream.Position = 0;
        var read = EmbeddingHeads.Read(stream);

        var vector = embeddings.Vectors.Embed(["@user you are such a loser lol"], TextWriter.Null)[0];
        var first = new TrainedScores(0.3, 0.4, 0.3, TrainedModel.MoodNeutral, 0.5, 0.5);
        Assert.Equal(heads.Refine(first, vector, [0, 0, 0]), read.Refine(first, vector, [0, 0, 0]));
        Assert.Equal(heads.Calibration.Offensive, read.Calibration.Offensive);
    }

    [Fact]
    public void ExtraRows_ChangeTheWeights_AndTheModelLearnsTheirClearCases()
    {
        using var folder = new TempDirectory();
        var extra = Path.Combine(folder.Path, "decisions.tsv");
        string[] insults = ["ur a zorblaxian snorkwhistle", "what a zorblaxian snorkwhistle u are", "shut it snorkwhistle", "zorblaxian trash, all of u"];
        File.WriteAllLines(extra, ["label\ttext", .. Enumerable.Range(0, 5).SelectMany(_ => insults.Select(t => $"offensive\t{t}"))]);

        var without = TrainingRun.Train(Sample(7), TextWriter.Null).Model;
        var log = new StringWriter();
        var with = TrainingRun.Train(Sample(7) with { Extra = [extra] }, log).Model;

        Assert.NotEqual(Hash(without), Hash(with));
        Assert.Contains("offensive 20", log.ToString(), StringComparison.Ordinal);
        foreach (var text in insults)
        {
            var before = Offensive(without, text);
            var after = Offensive(with, text);
            Assert.True(after >= with.Calibration.OffensiveThreshold && after > before, $"'{text}': p(offensive) {before:F2} → {after:F2} (threshold {with.Calibration.OffensiveThreshold:F2})");
        }
    }

    [Fact]
    public void ExtraRows_ReadTheExportsJsonl_AsTheExportsTsvLabelsThem()
    {
        using var folder = new TempDirectory();
        var jsonl = Path.Combine(folder.Path, "decisions.jsonl");
        File.WriteAllLines(jsonl,
        [
            """{"text":"you are a clown","safety":"unsafe","categories":["harassment"],"decision":"hidden","flagId":1}""",
            """{"text":"send them all back","safety":"unsafe","categories":["hate"],"decision":"banned","flagId":2}""",
            """{"text":"this song kills","safety":"safe","categories":[],"decision":"approved","flagId":3}""",
            """{"text":"buy cheap pills","safety":"unsafe","categories":["spam"],"decision":"hidden","flagId":4}""",
        ]);

        var (mood, offensive, hate) = ExtraRows.Read(new TrainingOptions(Datasets.Directory) { Extra = [jsonl], ExtraWeight = 3 }, TextWriter.Null);

        Assert.Empty(mood);
        Assert.Equal(new[] { ("you are a clown", 1), ("send them all back", 1), ("this song kills", 0) }, offensive.Select(r => (r.Text, r.Label)));
        Assert.Equal(new[] { ("send them all back", 1), ("this song kills", 0) }, hate.Select(r => (r.Text, r.Label)));
        Assert.All(offensive, r => Assert.Equal(3, r.Weight));
    }

    private static double Offensive(TrainedModel model, string text)
    {
        var normalized = Chatroom.Analysis.Moderation.Normalization.TextNormalizer.Default.Normalize(text);
        return model.Score(normalized, new MoodClassifier(Chatroom.Analysis.Moderation.ModerationLexicon.Default).Compound(normalized)).Offensive;
    }

    [Fact]
    public void SmallSample_LearnsSomething_AndReportsItsFigures()
    {
        var log = new StringWriter();
        var figures = TrainingRun.Train(Sample(7), log).Figures;

        // Chance is 1/3 macro-recall and about 0.5 macro-F1; 480 tweets per task are enough to beat it clearly.
        Assert.InRange(figures.MoodMacroRecall, 0.4, 1);
        Assert.InRange(figures.OffensiveMacroF1, 0.55, 1);
        Assert.InRange(figures.HateMacroF1, 0.55, 1);
        Assert.Contains("mood macro-recall", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("offensive-tweeteval-val.tsv", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void WrittenModel_ReadsBackWithTheSameScores()
    {
        var model = TrainingRun.Train(Sample(7), TextWriter.Null).Model;
        using var stream = new MemoryStream();
        model.Write(stream);
        stream.Position = 0;
        var read = TrainedModel.Read(stream);

        var text = Chatroom.Analysis.Moderation.Normalization.TextNormalizer.Default.Normalize("@user you are such a loser lol");
        Assert.Equal(model.Score(text, -0.4), read.Score(text, -0.4));
    }

    private static string Hash(TrainedModel model) => Hash(model.Write);

    private static string Hash(EmbeddingHeads heads) => Hash(heads.Write);

    private static string Hash(Action<Stream> write)
    {
        using var stream = new MemoryStream();
        write(stream);
        return Convert.ToHexString(SHA256.HashData(stream.ToArray()));
    }
}
