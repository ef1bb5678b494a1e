using Chatroom.Analysis.Knowledge;
using Chatroom.Analysis.Moderation;
using Chatroom.Analysis.Moderation.Classifiers;
using Chatroom.Analysis.Moderation.Normalization;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chatroom.Moderation.Trainer.Tests;

/// <summary>The service's embedded tier loads the committed trained model and gets clear cases right.</summary>
public sealed class CommittedModelTests
{
    private static TrainedScores Trained(string text)
    {
        var normalized = TextNormalizer.Default.Normalize(text);
        return TrainedModel.Default.Score(normalized, new MoodClassifier(ModerationLexicon.Default).Compound(normalized));
    }

    [Theory]
    [InlineData("I love this so much, best day ever", Moods.Happy)]
    [InlineData("have a lovely weekend everyone", Moods.Happy)]
    [InlineData("I'm so sad and lonely today", Moods.Sad)]
    [InlineData("the train leaves at noon from platform 4", Moods.Neutral)]
    [InlineData("the meeting moved to 3pm", Moods.Neutral)]
    public void LabelsClearMoods(string text, string mood) => Assert.Equal(mood, ClassifierModerator.Default.Classify(text).Mood);

    [Fact]
    public void TrainedMoodProbabilities_SumToOne_AndFavourTheClearLabel()
    {
        var happy = Trained("I love this so much, best day ever");
        Assert.Equal(1, happy.Sad + happy.Neutral + happy.Happy, 6);
        Assert.True(happy.Happy > 0.8, $"p(happy) {happy.Happy:F2}");
        Assert.True(Trained("I'm so sad and lonely today").Sad > 0.8);
    }

    [Theory]
    [InlineData("@user you are a disgusting piece of shit", SafetyCategories.Harassment)]
    [InlineData("send all the illegal immigrants back, they are invaders", SafetyCategories.Hate)]
    [InlineData("women are too stupid to vote", SafetyCategories.Hate)]
    public void FlagsClearAbuse(string text, string category)
    {
        var verdict = ClassifierModerator.Default.Classify(text);
        Assert.Equal(SafetyLabels.Unsafe, verdict.Safety);
        Assert.Contains(category, verdict.Categories);
    }

    [Theory]
    [InlineData("have a lovely weekend everyone")]
    [InlineData("good morning everyone, have a great day!")]
    [InlineData("the train leaves at noon from platform 4")]
    public void LeavesClearlySafeMessagesAlone(string text)
    {
        var trained = Trained(text);
        Assert.True(trained.Offensive < 0.5, $"p(offensive) {trained.Offensive:F2}");
        Assert.True(trained.Hate < 0.5, $"p(hate) {trained.Hate:F2}");
        Assert.Equal(SafetyLabels.Safe, ClassifierModerator.Default.Classify(text).Safety);
    }

    [Fact]
    public void TrainedScores_AreProbabilitiesOfTheRightKind()
    {
        var abuse = Trained("@user you are a disgusting piece of shit");
        var hate = Trained("send all the illegal immigrants back, they are invaders");
        Assert.True(abuse.Offensive > 0.9, $"p(offensive) {abuse.Offensive:F2}");
        Assert.True(hate.Hate > 0.8, $"p(hate) {hate.Hate:F2}");
        Assert.InRange(TrainedModel.Default.Calibration.OffensiveThreshold, 0.05, 0.95);
    }

    [Fact]
    public void OffensiveThreshold_IsConfigurable()
    {
        // No word of this message is in the rules' lexicon; only the trained score (p(offensive) ≈ 0.5) can raise it.
        const string text = "@user you are the worst human alive";
        var strict = new ClassifierModerator(ModerationLexicon.Default, new FixedOptions(new ModerationOptions { OffensiveThreshold = 0.3 }));
        var lenient = new ClassifierModerator(ModerationLexicon.Default, new FixedOptions(new ModerationOptions { OffensiveThreshold = 0.95 }));

        var flagged = strict.Classify(text);
        var passed = lenient.Classify(text);
        Assert.Equal(SafetyLabels.Safe, passed.Safety);
        Assert.True(flagged.UnsafeScore > passed.UnsafeScore + 0.3, $"unsafe score {flagged.UnsafeScore:F2} with threshold 0.3 against {passed.UnsafeScore:F2} with 0.95");
    }

    [Fact]
    public async Task CommittedSecondStage_ClearsBenignMessagesTheFirstTierDoubts_AndFlagsAGeneralisation()
    {
        using var generator = new LocalEmbeddingGenerator(NullLogger<LocalEmbeddingGenerator>.Instance);
        var heads = EmbeddingHeads.Default;

        // The band fitted under the 20 % share cap starts at p(offensive) 0.30: benign messages doubted that much are
        // re-read and cleared; those the first tier already puts lower keep its score and cost no inference.
        string[] benign = ["@user you are such a nerd, love it", "@user you are nuts lol"];
        string[] doubtedLess = ["@user thanks for the help, really kind of you", "the meeting moved to 3pm"];
        const string generalisation = "you people are all the same";
        var vectors = await generator.GenerateAsync([.. benign, generalisation]);

        for (var i = 0; i < benign.Length; i++)
        {
            ClassifierModerator.Default.Classify(benign[i], null, out var first);
            var refined = heads.Refine(first, vectors[i].Vector.Span, ClassifierModerator.Default.TrainedMoodDecision);
            Assert.True(heads.IsUncertain(first), $"'{benign[i]}' reaches the second stage");
            Assert.True(refined.Offensive < heads.Calibration.Offensive.Threshold && refined.Offensive < first.Offensive, $"'{benign[i]}': p(offensive) {first.Offensive:F2} → {refined.Offensive:F2}");
        }

        foreach (var text in doubtedLess)
        {
            ClassifierModerator.Default.Classify(text, null, out var first);
            Assert.False(heads.IsUncertain(first), $"'{text}' (p(offensive) {first.Offensive:F2}) stays with the first tier");
        }

        ClassifierModerator.Default.Classify(generalisation, null, out var doubted);
        var flagged = heads.Refine(doubted, vectors[^1].Vector.Span, ClassifierModerator.Default.TrainedMoodDecision);
        Assert.True(heads.IsUncertain(doubted), $"'{generalisation}' reaches the second stage");
        Assert.True(doubted.Offensive < TrainedModel.Default.Calibration.OffensiveThreshold, $"first tier p(offensive) {doubted.Offensive:F2}");
        Assert.True(flagged.Offensive >= heads.Calibration.Offensive.Threshold, $"with the second stage p(offensive) {flagged.Offensive:F2}");
    }

    private sealed class FixedOptions(ModerationOptions value) : Microsoft.Extensions.Options.IOptionsMonitor<ModerationOptions>
    {
        public ModerationOptions CurrentValue => value;

        public ModerationOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ModerationOptions, string?> listener) => null;
    }
}
