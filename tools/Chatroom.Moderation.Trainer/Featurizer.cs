using Chatroom.Analysis.Moderation;
using Chatroom.Analysis.Moderation.Classifiers;
using Chatroom.Analysis.Moderation.Normalization;

namespace Chatroom.Moderation.Trainer;

/// <summary>Normalises a text exactly as the service does and extracts the trained tier's features.</summary>
public static class Featurizer
{
    private static readonly MoodClassifier Lexicon = new(ModerationLexicon.Default);

    public static Example Extract(LabelledText row)
    {
        var text = TextNormalizer.Default.Normalize(row.Text);
        var max = TrainedFeatures.MaxFeatures(text);
        var slots = new int[max];
        var values = new float[max];
        var n = TrainedFeatures.Extract(text, Lexicon.Compound(text), slots, values);
        return new Example(slots[..n], values[..n], row.Label, row.Text, row.Weight);
    }

    public static List<Example> Extract(IEnumerable<LabelledText> rows) => rows.Select(Extract).ToList();
}
