using Chatroom.Analysis.Moderation;
using Chatroom.Analysis.Moderation.Classifiers;

namespace Chatroom.Analysis.Tests.Moderation;

public sealed class SafetyClassifierTests
{
    private static ModerationVerdict Classify(string text) => ClassifierModerator.Default.Classify(text);

    [Theory]
    [InlineData("you're an idiot", SafetyCategories.Harassment)]
    [InlineData("y0u'r3 4n 1d10t", SafetyCategories.Harassment)]
    [InlineData("stfu loser", SafetyCategories.Harassment)]
    [InlineData("kys", SafetyCategories.SelfHarm)]
    [InlineData("k y s", SafetyCategories.Harassment)]
    [InlineData("I will kill you", SafetyCategories.Violence)]
    [InlineData("i know where you live", SafetyCategories.Violence)]
    [InlineData("I want to kill myself", SafetyCategories.SelfHarm)]
    [InlineData("immigrants are vermin", SafetyCategories.Hate)]
    [InlineData("send nudes", SafetyCategories.Sexual)]
    [InlineData("how old are you? don't tell your parents we talk", SafetyCategories.Minors)]
    [InlineData("you're so mature for your age", SafetyCategories.Minors)]
    [InlineData("FREE ROBUX click here www.free-robux.xyz", SafetyCategories.Spam)]
    public void FlagsUnsafeMessagesWithTheirCategory(string text, string category)
    {
        var verdict = Classify(text);
        Assert.Equal(SafetyLabels.Unsafe, verdict.Safety);
        Assert.Contains(category, verdict.Categories);
        Assert.InRange(verdict.UnsafeScore, 0.5, 1);
    }

    [Theory]
    [InlineData("this song kills")]
    [InlineData("I could kill for a pizza")]
    [InlineData("shoot me a message when you're free")]
    [InlineData("we're gonna kill it at the tournament")]
    [InlineData("kill the process and restart the server")]
    [InlineData("the suicide prevention hotline is pinned")]
    [InlineData("I'm dying to see the new movie")]
    [InlineData("that's fucking awesome dude")]
    [InlineData("I'm such an idiot, forgot my keys again")]
    [InlineData("I'm gay and proud of it")]
    [InlineData("muslims celebrate eid at the end of ramadan")]
    [InlineData("let's meet up at the library at 5 to study")]
    [InlineData("here's the link to the docs: https://learn.microsoft.com/dotnet")]
    public void LeavesBenignLookAlikesAlone(string text)
    {
        var verdict = Classify(text);
        Assert.Equal(SafetyLabels.Safe, verdict.Safety);
        Assert.Empty(verdict.Categories);
    }

    [Fact]
    public void ConfidenceIsTheProbabilityOfTheChosenLabel()
    {
        var clean = Classify("good morning everyone");
        Assert.True(clean.Confidence > 0.9);
        Assert.Equal(1 - clean.UnsafeScore, clean.Confidence, 3);

        var threat = Classify("i'm gonna kill you");
        Assert.Equal(threat.UnsafeScore, threat.Confidence, 3);
    }

    [Fact]
    public void HostileMessagesReadAsSad()
    {
        Assert.Equal(Moods.Sad, Classify("i know where you live").Mood);
    }
}
