using Chatroom.Analysis.Moderation;
using Chatroom.Analysis.Moderation.Classifiers;
using Chatroom.Analysis.Moderation.Normalization;

namespace Chatroom.Analysis.Tests.Moderation;

public sealed class MoodClassifierTests
{
    private static readonly MoodClassifier Classifier = new(ModerationLexicon.Default);

    private static MoodResult Classify(string text) => Classifier.Classify(TextNormalizer.Default.Normalize(text));

    [Theory]
    [InlineData("this is great", Moods.Happy)]
    [InlineData("I love it :)", Moods.Happy)]
    [InlineData("😀😀", Moods.Happy)]
    [InlineData("<3", Moods.Happy)]
    [InlineData("this is terrible", Moods.Sad)]
    [InlineData("so sad today :(", Moods.Sad)]
    [InlineData("😢", Moods.Sad)]
    [InlineData("the meeting is at 3pm", Moods.Neutral)]
    [InlineData("not good", Moods.Sad)]
    [InlineData("not bad", Moods.Happy)]
    [InlineData("can't wait for the weekend", Moods.Happy)]
    [InlineData("this song kills", Moods.Happy)]
    public void LabelsMood(string text, string expected) => Assert.Equal(expected, Classify(text).Mood);

    [Fact]
    public void IntensifiersCapsAndExclamationsRaiseTheScore()
    {
        var plain = Classify("this is good").Score;
        Assert.True(Classify("this is very good").Score > plain);
        Assert.True(Classify("this is GOOD").Score > plain);
        Assert.True(Classify("this is good!!!").Score > plain);
        Assert.True(Classify("this is kinda good").Score < plain);
    }

    [Fact]
    public void ButShiftsWeightToTheSecondClause()
    {
        Assert.Equal(Moods.Sad, Classify("the graphics are nice but the gameplay is awful").Mood);
        Assert.Equal(Moods.Happy, Classify("it started slow but the ending was amazing").Mood);
    }

    [Fact]
    public void ScoresStayInRangeWithCalibratedConfidence()
    {
        foreach (var text in new[] { "GREAT GREAT GREAT!!!! 😀😀😀 <3 <3", "awful horrible terrible!!!! 😢😢", "ok" })
        {
            var result = Classify(text);
            Assert.InRange(result.Score, -1, 1);
            Assert.InRange(result.Confidence, 0.33, 1);
        }
    }
}
