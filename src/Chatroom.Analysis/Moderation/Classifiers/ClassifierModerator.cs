using Chatroom.Analysis.Moderation.Normalization;

namespace Chatroom.Analysis.Moderation.Classifiers;

/// <summary>The embedded tier: normalise once, then mood and safety; no model, no I/O.</summary>
public sealed class ClassifierModerator
{
    private readonly TextNormalizer _normalizer;
    private readonly MoodClassifier _mood;
    private readonly SafetyClassifier _safety;

    public ClassifierModerator(ModerationLexicon lexicon)
    {
        _normalizer = new TextNormalizer(lexicon);
        _mood = new MoodClassifier(lexicon);
        _safety = new SafetyClassifier(lexicon);
    }

    public static ClassifierModerator Default { get; } = new(ModerationLexicon.Default);

    public ModerationVerdict Classify(string? text)
    {
        var normalized = _normalizer.Normalize(text);
        var mood = _mood.Classify(normalized);
        var safety = _safety.Classify(normalized, mood.LexiconScore);
        mood = HostileIsNegative(mood, safety);
        return new ModerationVerdict
        {
            Mood = mood.Mood,
            MoodScore = mood.Score,
            MoodConfidence = mood.Confidence,
            Safety = safety.IsUnsafe ? SafetyLabels.Unsafe : SafetyLabels.Safe,
            UnsafeScore = safety.UnsafeScore,
            Categories = safety.Categories,
            Confidence = safety.Confidence,
            Tier = SafetyLabels.EmbeddedTier,
        };
    }

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
