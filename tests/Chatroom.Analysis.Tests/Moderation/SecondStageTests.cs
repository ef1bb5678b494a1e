using System.Diagnostics.CodeAnalysis;
using Chatroom.Analysis.Knowledge;
using Chatroom.Analysis.Moderation;
using Chatroom.Analysis.Moderation.Classifiers;
using Chatroom.Analysis.Tests.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Tests.Moderation;

/// <summary>
/// The embedded tier's second stage in the cascade: only messages in a head's uncertain band are embedded, the heads'
/// combined score then decides, new inferences stay within the process's budget, and without the sentence model or
/// over the budget the first tier's verdict stands; each outcome is counted.
/// </summary>
public sealed class SecondStageTests : IDisposable
{
    // No word of it is in the rules' lexicon: the first tier finds nothing; an embedding head that knows the meaning can.
    private const string Veiled = "@user you are a zorblaxian snorkwhistle";

    private static readonly BinaryStage BandEverything = new(0, 1, 1, 1, 0, 0.5);

    private readonly TestMeterFactory _meters = new();

    public void Dispose() => _meters.Dispose();

    [Fact]
    public void TheBudget_LetsItsRateThrough_ThenRefuses_AndRefillsWithTime()
    {
        var time = new ManualTime();
        var budget = new SecondStageBudget(time, () => 3);

        Assert.Equal(new[] { true, true, true, false }, Enumerable.Range(0, 4).Select(_ => budget.TryTake()).ToArray());

        time.Advance(TimeSpan.FromMilliseconds(340));
        Assert.True(budget.TryTake());
        Assert.False(budget.TryTake());

        // A quiet hour refills one second's worth, no more.
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(new[] { true, true, true, false }, Enumerable.Range(0, 4).Select(_ => budget.TryTake()).ToArray());
    }

    [Fact]
    public void ABudgetOfZero_IsUnlimited()
    {
        var budget = new SecondStageBudget(new ManualTime(), () => 0);

        Assert.All(Enumerable.Range(0, 1000), _ => Assert.True(budget.TryTake()));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10_001)]
    public void ABudgetOutsideItsRange_FailsValidation(int budget)
    {
        var result = new DataAnnotationValidateOptions<ModerationOptions>(null).Validate(null, new ModerationOptions { SecondStageBudgetPerSecond = budget });

        Assert.True(result.Failed);
        Assert.Contains(nameof(ModerationOptions.SecondStageBudgetPerSecond), result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSecondStage_IsOnByDefault_WithABudget()
    {
        var options = new ModerationOptions();

        Assert.True(options.SecondStage);
        Assert.Equal(20, options.SecondStageBudgetPerSecond);
    }

    [Fact]
    public async Task OverTheBudget_MessagesKeepTheFirstTiersVerdict_UntilItRefills()
    {
        var embedder = new FakeEmbedder();
        var time = new ManualTime();
        var stage = new SecondStage(ClassifierModerator.Default, embedder, Options(new ModerationOptions { SecondStageBudgetPerSecond = 2 }),
            NullLogger<SecondStage>.Instance, OffensiveHead(band: BandEverything), new EscalationMetrics(_meters), time);
        string[] texts = [Veiled, Veiled + " lol", Veiled + " again"];

        var verdicts = await stage.ClassifyAsync(texts, CancellationToken.None);

        Assert.Equal(texts[..2], embedder.Texts.ToArray());
        Assert.Equal(SafetyLabels.Unsafe, verdicts[0].Safety);
        Assert.Equal(SafetyLabels.Unsafe, verdicts[1].Safety);
        AssertSame(ClassifierModerator.Default.Classify(texts[2]), verdicts[2]);
        Assert.Equal(2, _meters.Sum("chatroom.moderation.second_stage", ("outcome", EscalationMetrics.SecondStageRefined)));
        Assert.Equal(1, _meters.Sum("chatroom.moderation.second_stage", ("outcome", EscalationMetrics.SecondStageOverBudget)));

        time.Advance(TimeSpan.FromSeconds(1));
        var later = await stage.ClassifyAsync([texts[2]], CancellationToken.None);

        Assert.Equal(SafetyLabels.Unsafe, later[0].Safety);
        Assert.Equal(3, _meters.Sum("chatroom.moderation.second_stage", ("outcome", EscalationMetrics.SecondStageRefined)));
    }

    [Fact]
    public async Task AVectorAlreadyHeld_IsUsedWithoutAnInference_EvenOverTheBudget()
    {
        var held = new float[EmbeddingHeads.Dimensions];
        held[0] = 1;
        var embedder = new FakeEmbedder { Held = { [Veiled] = held } };
        var stage = new SecondStage(ClassifierModerator.Default, embedder, Options(new ModerationOptions { SecondStageBudgetPerSecond = 1 }),
            NullLogger<SecondStage>.Instance, OffensiveHead(band: BandEverything), new EscalationMetrics(_meters), new ManualTime());

        var verdicts = await stage.ClassifyAsync([Veiled, Veiled, "@user what a snorkwhistle", "@user snorkwhistle again"], CancellationToken.None);

        Assert.Equal(new[] { "@user what a snorkwhistle" }, embedder.Texts.ToArray());
        Assert.Equal(SafetyLabels.Unsafe, verdicts[0].Safety);
        Assert.Equal(SafetyLabels.Unsafe, verdicts[1].Safety);
        Assert.Equal(2, _meters.Sum("chatroom.moderation.second_stage", ("outcome", EscalationMetrics.SecondStageCachedVector)));
        Assert.Equal(1, _meters.Sum("chatroom.moderation.second_stage", ("outcome", EscalationMetrics.SecondStageRefined)));
        Assert.Equal(1, _meters.Sum("chatroom.moderation.second_stage", ("outcome", EscalationMetrics.SecondStageOverBudget)));
    }

    [Fact]
    public async Task AnUncertainMessage_IsEmbedded_AndTheHeadsCombinedScoreDecidesItsVerdict()
    {
        var embedder = new FakeEmbedder();
        var cascade = new ModerationCascade(ClassifierModerator.Default, Options(), secondStage: Stage(embedder, OffensiveHead(band: BandEverything)));

        var verdict = await cascade.ClassifyAsync(Veiled, policy: LlmPolicy.Never);

        Assert.Equal(SafetyLabels.Safe, ClassifierModerator.Default.Classify(Veiled).Safety);
        Assert.Equal(new[] { Veiled }, embedder.Texts);
        Assert.Equal(SafetyLabels.Unsafe, verdict.Safety);
        Assert.Contains(SafetyCategories.Harassment, verdict.Categories);
        Assert.Equal(SafetyLabels.EmbeddedTier, verdict.Tier);
    }

    [Fact]
    public async Task MessagesOutsideEveryBand_AreNotEmbedded_AndKeepTheFirstTiersVerdict()
    {
        var embedder = new FakeEmbedder();
        var stage = Stage(embedder, OffensiveHead(band: BinaryStage.Never));

        var verdicts = await stage.ClassifyAsync([Veiled, "have a lovely weekend everyone"], CancellationToken.None);

        Assert.Empty(embedder.Texts);
        AssertSame(ClassifierModerator.Default.Classify(Veiled), verdicts[0]);
    }

    [Fact]
    public async Task WhenTheSentenceModelIsUnavailable_TheFirstTiersVerdictStands()
    {
        var embedder = new FakeEmbedder { Failure = new EmbeddingUnavailableException("the local embedding model did not load") };
        var stage = new SecondStage(ClassifierModerator.Default, embedder, Options(), NullLogger<SecondStage>.Instance,
            OffensiveHead(band: BandEverything), new EscalationMetrics(_meters));

        var verdicts = await stage.ClassifyAsync([Veiled], CancellationToken.None);

        AssertSame(ClassifierModerator.Default.Classify(Veiled), verdicts[0]);
        Assert.Equal(1, _meters.Sum("chatroom.moderation.second_stage", ("outcome", EscalationMetrics.SecondStageUnavailable)));
    }

    [Fact]
    public async Task SwitchedOff_NothingIsEmbedded()
    {
        var embedder = new FakeEmbedder();
        var stage = new SecondStage(ClassifierModerator.Default, embedder, Options(new ModerationOptions { SecondStage = false }),
            NullLogger<SecondStage>.Instance, OffensiveHead(band: BandEverything));

        var verdicts = await stage.ClassifyAsync([Veiled], CancellationToken.None);

        Assert.Empty(embedder.Texts);
        Assert.Equal(SafetyLabels.Safe, verdicts[0].Safety);
    }

    [Fact]
    public void TheCommittedHeads_Load_AndSendSomeButNotAllMessagesToTheSecondStage()
    {
        var heads = EmbeddingHeads.Default;
        var sure = new TrainedScores(0.01, 0.98, 0.01, TrainedModel.MoodNeutral, 0.01, 0.01);

        Assert.False(heads.IsUncertain(sure));
        Assert.True(heads.Calibration.Offensive.BandLow <= heads.Calibration.Offensive.BandHigh, "the offensive head has a band");
    }

    [Fact]
    public void RecentEmbeddings_ForgetTheOldestTextFirst()
    {
        var recent = new RecentEmbeddings(2);
        recent.Add("a", [1]);
        recent.Add("b", [2]);
        recent.Add("c", [3]);

        Assert.False(recent.TryGet("a", out _));
        Assert.True(recent.TryGet("c", out var c));
        Assert.Equal(new[] { 3f }, c);
        Assert.Equal(2, recent.Count);
    }

    private static void AssertSame(ModerationVerdict expected, ModerationVerdict actual) =>
        Assert.Equal(
            (expected.Mood, expected.MoodScore, expected.Safety, expected.UnsafeScore, expected.Confidence, string.Join(',', expected.Categories)),
            (actual.Mood, actual.MoodScore, actual.Safety, actual.UnsafeScore, actual.Confidence, string.Join(',', actual.Categories)));

    /// <summary>Heads whose offensive output reads dimension 0 of the vector strongly; the fake embedder sets it.</summary>
    private static EmbeddingHeads OffensiveHead(BinaryStage band)
    {
        var weights = new float[EmbeddingHeads.Dimensions * TrainedModel.Outputs];
        weights[TrainedModel.Offensive] = 20;
        return new EmbeddingHeads(weights, new float[TrainedModel.Outputs], new SecondStageCalibration { Offensive = band });
    }

    private static SecondStage Stage(FakeEmbedder embedder, EmbeddingHeads heads) =>
        new(ClassifierModerator.Default, embedder, Options(), NullLogger<SecondStage>.Instance, heads);

    private static FixedOptionsMonitor<ModerationOptions> Options(ModerationOptions? value = null) => new(value ?? new ModerationOptions());

    /// <summary>Timestamps that move only when the test says, so the budget's refill is exact.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }

    /// <summary>Embeds by setting dimension 0; <see cref="Held"/> plays the local generator's recent vectors.</summary>
    private sealed class FakeEmbedder : IEmbeddingGenerator<string, Embedding<float>>, IRecentEmbeddings
    {
        public List<string> Texts { get; } = [];

        public Dictionary<string, float[]> Held { get; } = [];

        public Exception? Failure { get; init; }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (Failure is not null)
            {
                return Task.FromException<GeneratedEmbeddings<Embedding<float>>>(Failure);
            }

            var texts = values.ToList();
            Texts.AddRange(texts);
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(texts.Select(_ =>
            {
                var vector = new float[EmbeddingHeads.Dimensions];
                vector[0] = 1;
                return new Embedding<float>(vector);
            })));
        }

        public bool TryGetRecent(string text, [NotNullWhen(true)] out float[]? vector) => Held.TryGetValue(text, out vector);

        public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose()
        {
        }
    }
}
