using System.Text.Json;
using Chatroom.Analysis.Guardian;
using Chatroom.Analysis.Tests.Knowledge;
using Chatroom.Core.Chat;

namespace Chatroom.Analysis.Tests.Guardian;

public sealed class GuardianScorerTests(LocalEmbeddingTests.Model model) : IClassFixture<LocalEmbeddingTests.Model>
{
    private static readonly DateTimeOffset Evening = new(2026, 5, 4, 21, 0, 0, TimeSpan.Zero);

    private GuardianScorer Scorer() => new(model.Generator, new GuardianExemplarIndex(model.Generator), GuardianModel.Default);

    private static GuardianTranscript Pair(int olderAge, int youngerAge, params string[] lines) => new(
        [new GuardianParticipant("adult", olderAge), new GuardianParticipant("kid", youngerAge)],
        lines.Select((l, i) => new GuardianLine(l[0] == 'o' ? "adult" : "kid", l[2..], Evening.AddMinutes(i * 3))).ToList());

    [Fact]
    public async Task AnAdultAskingForSecrecyAnotherAppAndAMeeting_OpensACase_WithTheAdultsLinesAsEvidence()
    {
        var score = await Scorer().ScoreAsync(Pair(37, 12,
            "o:hey, you were great in the match earlier",
            "k:thanks",
            "o:how old are you anyway?",
            "k:12",
            "o:don't tell your mum we chat, she wouldn't get it",
            "o:message me on telegram instead, this app reads everything",
            "o:we could meet at the park on saturday, just us"), CancellationToken.None);

        Assert.True(score.WouldOpenCase, $"score {score.Score}");
        var secrecy = Assert.Single(score.Signals, s => s.Name == GuardianSignals.Secrecy);
        Assert.Contains("don't tell your mum we chat, she wouldn't get it", secrecy.Evidence);
        Assert.Contains(score.Signals, s => s.Name == GuardianSignals.PlatformMove);
        Assert.Contains(score.Signals, s => s.Name == GuardianSignals.AgeGap && s.Evidence.Single() == "ages 37 and 12");
        Assert.DoesNotContain(score.Signals.SelectMany(s => s.Evidence), line => line == "12");
    }

    [Fact]
    public async Task AnOrdinaryHomeworkChatBetweenClassmates_StaysQuiet()
    {
        var score = await Scorer().ScoreAsync(Pair(13, 13,
            "o:did you finish the science worksheet?",
            "k:almost, question 5 is hard",
            "o:send me a photo of your answer to 3 pls",
            "k:sent",
            "o:thanks, see you in class"), CancellationToken.None);

        Assert.False(score.WouldOpenCase, $"score {score.Score}");
    }

    [Fact]
    public async Task AGrandparentsGiftAndSurprise_ScoreLowerInTheirFamilyContextThanFromAStranger()
    {
        string[] stranger =
        [
            "o:i got you a little present, just for you",
            "k:really?",
            "o:don't tell your mum about it yet",
            "k:ok",
        ];
        string[] family =
        [
            "o:i got you a little present, just for you",
            "k:really? thank you grandma",
            "o:don't tell your mum about it yet, it's for her birthday too",
            "k:ok, love you grandma",
            "o:love you too, your grandad says hi",
        ];
        var scorer = Scorer();
        var alone = await scorer.FeaturesAsync(Pair(70, 10, stranger), CancellationToken.None);
        var inFamily = await scorer.FeaturesAsync(Pair(70, 10, family), CancellationToken.None);
        var context = GuardianSignals.All.ToList().IndexOf(GuardianSignals.BenignContext);

        Assert.True(inFamily.Values[context] > alone.Values[context], $"context {inFamily.Values[context]} in the family, {alone.Values[context]} alone");
        Assert.True(scorer.Model.Combine(inFamily.Values) < scorer.Model.Combine(alone.Values));
        Assert.True(scorer.Model.Weights[GuardianSignals.BenignContext] < 0, "the fit learnt that family context lowers the score");
    }

    [Fact]
    public async Task TheSameWordsBetweenAdults_NeverOpenACase()
    {
        var score = await Scorer().ScoreAsync(Pair(40, 30,
            "o:don't tell anyone we chat",
            "o:message me on telegram instead",
            "o:let's meet at the park, just us"), CancellationToken.None);

        Assert.False(score.WouldOpenCase);
        Assert.DoesNotContain(score.Signals, s => s.Name == GuardianSignals.AgeGap);
    }

    [Fact]
    public async Task AConfirmedLine_JoinsTheIndex_AndScoresItsSignalHigherNextTime()
    {
        var index = new GuardianExemplarIndex(model.Generator);
        var scorer = new GuardianScorer(model.Generator, index, GuardianModel.Default);
        var transcript = Pair(33, 13, "o:bring your tablet to the bus shelter by the lake after dark");
        var before = (await scorer.FeaturesAsync(transcript, CancellationToken.None)).Values[GuardianSignals.All.ToList().IndexOf(GuardianSignals.Meeting)];

        Assert.True(await index.AddAsync(GuardianSignals.Meeting, "bring your tablet to the bus shelter by the lake after dark", CancellationToken.None));
        Assert.False(await index.AddAsync(GuardianSignals.Meeting, "bring your tablet to the bus shelter by the lake after dark", CancellationToken.None));

        var after = (await scorer.FeaturesAsync(transcript, CancellationToken.None)).Values[GuardianSignals.All.ToList().IndexOf(GuardianSignals.Meeting)];
        Assert.True(after > before, $"{after} after, {before} before");
        Assert.Equal(1, after);
    }

    /// <summary>The held-out split (families the fit never saw): the figures docs/safety.md reports, as a floor.</summary>
    [Fact]
    public async Task OnTheHeldOutSplit_MostConcerningConversationsOpenACase_AndFewOrdinaryOnesDo()
    {
        var rows = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Guardian", "test.jsonl"))
            .Select(l => JsonSerializer.Deserialize<Row>(l, ChatJson.Options)!).ToList();
        var scorer = Scorer();
        int concerning = 0, caught = 0, ordinary = 0, alarms = 0;
        foreach (var row in rows)
        {
            var opens = (await scorer.ScoreAsync(new GuardianTranscript(row.Participants, row.Messages), CancellationToken.None)).WouldOpenCase;
            if (row.Label == 1)
            {
                concerning++;
                caught += opens ? 1 : 0;
            }
            else
            {
                ordinary++;
                alarms += opens ? 1 : 0;
            }
        }

        Assert.True(caught >= 0.85 * concerning, $"recall {caught}/{concerning}");
        Assert.True(alarms <= 0.06 * ordinary, $"false alarms {alarms}/{ordinary}");
    }

    private sealed record Row(int Label, IReadOnlyList<GuardianParticipant> Participants, IReadOnlyList<GuardianLine> Messages);
}
