using Chatroom.Analysis.Moderation.Normalization;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Moderation.Classifiers;

/// <summary>
/// The embedded tier: normalise once, then mood and safety; no I/O. The trained model (<see cref="TrainedModel"/>)
/// reads the same normalised text: its mood probabilities blend into the mood, and its offensive and hate
/// probabilities, once past the configured thresholds (<see cref="ModerationOptions"/>), count towards harassment
/// (by default only in messages addressed to someone: the tweets it learnt from call a lone swear word or self-talk
/// offensive, which is not harassment here) and hate beside the rules.
/// </summary>
public sealed class ClassifierModerator
{
    private readonly TextNormalizer _normalizer;
    private readonly MoodClassifier _mood;
    private readonly SafetyClassifier _safety;
    private readonly IOptionsMonitor<ModerationOptions>? _options;
    private readonly TrainedModel? _trained;

    public ClassifierModerator(ModerationLexicon lexicon)
        : this(lexicon, null)
    {
    }

    /// <param name="lexicon">Word lists of the normaliser and the rules.</param>
    /// <param name="options">Thresholds of the trained scores; null uses <see cref="ModerationOptions"/>' defaults.</param>
    /// <param name="trained">The trained model; null uses <see cref="TrainedModel.Default"/>.</param>
    public ClassifierModerator(ModerationLexicon lexicon, IOptionsMonitor<ModerationOptions>? options, TrainedModel? trained = null)
    {
        _normalizer = new TextNormalizer(lexicon);
        _mood = new MoodClassifier(lexicon, null, trained);
        _safety = new SafetyClassifier(lexicon);
        _options = options;
        _trained = trained;
    }

    public static ClassifierModerator Default { get; } = new(ModerationLexicon.Default);

    /// <summary>The trained model's mood decision offsets, which a second stage's mood scores are tilted against.</summary>
    public IReadOnlyList<double> TrainedMoodDecision => (_trained ?? TrainedModel.Default).Calibration.MoodDecision;

    public ModerationVerdict Classify(string? text) => Classify(text, null, out _);

    /// <summary>The verdict, and the trained model's scores it used.</summary>
    /// <param name="text">The message.</param>
    /// <param name="refine">Replaces the trained scores before mood and safety read them (the second stage); null keeps them.</param>
    /// <param name="trained">The trained scores the verdict used (after <paramref name="refine"/>).</param>
    public ModerationVerdict Classify(string? text, Func<TrainedScores, TrainedScores>? refine, out TrainedScores trained)
    {
        var normalized = _normalizer.Normalize(text);
        var options = _options?.CurrentValue ?? DefaultOptions;
        var mood = _mood.Classify(normalized, options.TrainedMoodWeight, refine);
        trained = mood.Trained;
        var safety = _safety.Classify(
            normalized,
            mood.LexiconScore,
            !options.OffensiveNeedsAddressee || SafetyClassifier.IsAddressed(normalized) ? TrainedEvidence(mood.Trained.Offensive, options.OffensiveThreshold, mood) : 0,
            TrainedEvidence(mood.Trained.Hate, options.HateThreshold, mood),
            options.HateNeedsGroup);
        mood = HostileIsNegative(mood, safety);
        return new ModerationVerdict
        {
            Mood = mood.Mood,
            MoodScore = mood.Score,
            MoodConfidence = mood.Confidence,
            Safety = safety.IsUnsafe ? SafetyLabels.Unsafe : SafetyLabels.Safe,
            UnsafeScore = safety.UnsafeScore,
            Categories = safety.Categories,
            CategoryScores = safety.CategoryScores,
            Confidence = safety.Confidence,
            Tier = SafetyLabels.EmbeddedTier,
        };
    }

    private static readonly ModerationOptions DefaultOptions = new();

    /// <summary>
    /// The trained probability counts from its threshold up, and not for messages the lexicon reads as clearly happy:
    /// the tweets it learnt from label any swearing offensive, and "that's fucking awesome" is not abuse in chat.
    /// </summary>
    private static double TrainedEvidence(double probability, double threshold, MoodResult mood) =>
        probability >= threshold && mood.LexiconScore < Calibration.TrainedSafetyHappyCutoff ? probability : 0;

    /// <summary>Insults, threats, hate and self-harm are negative in mood even when no sentiment word says so.</summary>
    private static MoodResult HostileIsNegative(MoodResult mood, SafetyResult safety)
    {
        var hostile = 0.0;
        foreach (var category in (ReadOnlySpan<int>)[0, 1, 3, 4])
        {
            hostile = Math.Max(hostile, safety.CategoryScores[category]);
        }

        if (hostile < 0.5)
        {
            return mood;
        }

        var score = Math.Min(mood.Score, -0.2 - (0.5 * hostile));
        return score == mood.Score ? mood : mood with { Mood = Moods.Sad, Score = Math.Round(score, 4), Confidence = Math.Round(Math.Max(mood.Mood == Moods.Sad ? mood.Confidence : 0, hostile), 4) };
    }
}
