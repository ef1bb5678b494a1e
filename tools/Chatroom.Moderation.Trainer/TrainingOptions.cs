namespace Chatroom.Moderation.Trainer;

/// <summary>
/// One training run: where the data is, the seed of the validation split and of the SGD shuffles, the share held out
/// for validation, an optional cap on rows per file (tests train on a small sample), each head's settings, the second
/// stage's sentence embeddings (none: first tier only) and settings, and extra labelled files (moderators' decisions).
/// </summary>
public sealed record TrainingOptions(string DataDirectory)
{
    public const string MoodFile = "sentiment-semeval-2013-2016.tsv";
    public const string MoodValidationFile = "sentiment-tweeteval-val.tsv";
    public const string OffensiveFile = "offensive-tweeteval-train.tsv";
    public const string OffensiveValidationFile = "offensive-tweeteval-val.tsv";
    public const string HateFile = "hate-tweeteval-train.tsv";
    public const string HateValidationFile = "hate-tweeteval-val.tsv";

    public static readonly string[] MoodLabels = ["negative", "neutral", "positive"];
    public static readonly string[] OffensiveLabels = ["not-offensive", "offensive"];
    public static readonly string[] HateLabels = ["not-hate", "hate"];

    public int Seed { get; init; } = 20261206;

    public double ValidationShare { get; init; } = 0.1;

    public int RowLimit { get; init; } = int.MaxValue;

    // Chosen on the validation split (docs/moderation.md has the sweep): smaller steps than the first guess (0.2)
    // overfit the rare words of noisy tweets less; hate stops early because its split shifts topic.
    public HeadSettings Mood { get; init; } = new(LearningRate: 0.05, L2: 3e-4, Epochs: 8, BalancedClasses: true);

    public HeadSettings Offensive { get; init; } = new(LearningRate: 0.1, L2: 3e-4, Epochs: 8, BalancedClasses: true);

    public HeadSettings Hate { get; init; } = new(LearningRate: 0.1, L2: 3e-4, Epochs: 4, BalancedClasses: true);

    /// <summary>The MiniLM vectors the second stage trains on; null trains the first tier only.</summary>
    public SentenceEmbeddings? Embeddings { get; init; }

    /// <summary>Training rows per file the second stage embeds (the first ones of the file's seeded order).</summary>
    public int SecondStageRowLimit { get; init; } = int.MaxValue;

    /// <summary>The second stage's mood head; null leaves mood to the first tier (its band stays empty, nothing embedded for it).</summary>
    public HeadSettings? SecondStageMood { get; init; } = new(LearningRate: 0.05, L2: 1e-5, Epochs: 10, BalancedClasses: true);

    /// <summary>
    /// Most share of the own validation rows (all splits together) the offensive and hate bands may send to the second
    /// stage: each costs one MiniLM inference in the process that serves chat. 1 leaves the bands uncapped.
    /// </summary>
    public double SecondStageMaxShare { get; init; } = 0.2;

    public HeadSettings SecondStageBinary { get; init; } = new(LearningRate: 0.05, L2: 1e-5, Epochs: 10, BalancedClasses: true);

    /// <summary>Extra labelled files (<see cref="ExtraRows"/>), added to the training rows only.</summary>
    public IReadOnlyList<string> Extra { get; init; } = [];

    /// <summary>How many times an extra row's loss counts.</summary>
    public double ExtraWeight { get; init; } = 2;

    /// <summary>Most extra rows per task.</summary>
    public int ExtraCap { get; init; } = 2000;
}
