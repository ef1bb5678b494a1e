using System.Security.Cryptography;
using Chatroom.Analysis.Moderation.Classifiers;

namespace Chatroom.Moderation.Trainer.Tests;

/// <summary>Training on a small fixed sample: the same data and seed give the same model file, byte for byte.</summary>
public sealed class TrainingReproducibilityTests
{
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
        var first = Hash(TrainingRun.Train(Sample(7), TextWriter.Null).Model);
        var second = Hash(TrainingRun.Train(Sample(7), TextWriter.Null).Model);
        var otherSeed = Hash(TrainingRun.Train(Sample(8), TextWriter.Null).Model);

        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
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

    private static string Hash(TrainedModel model)
    {
        using var stream = new MemoryStream();
        model.Write(stream);
        return Convert.ToHexString(SHA256.HashData(stream.ToArray()));
    }
}
