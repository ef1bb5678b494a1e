namespace Chatroom.Analysis.Moderation.Normalization;

/// <summary>A message after <see cref="TextNormalizer"/>: tokens plus the surface statistics the classifiers use.</summary>
public sealed class NormalizedText
{
    internal NormalizedText(string original, NormalizedToken[] tokens, in SurfaceCounts counts)
    {
        Original = original;
        Tokens = tokens;
        Exclamations = counts.Exclamations;
        Questions = counts.Questions;
        Letters = counts.Letters;
        UpperLetters = counts.UpperLetters;
        Urls = counts.Urls;
        Mentions = counts.Mentions;
        Evasions = counts.Evasions;
    }

    public string Original { get; }

    public IReadOnlyList<NormalizedToken> Tokens { get; }

    public int Exclamations { get; }

    public int Questions { get; }

    public int Letters { get; }

    public int UpperLetters { get; }

    public int Urls { get; }

    public int Mentions { get; }

    /// <summary>Tokens whose letters were disguised (leetspeak, masks, look-alike letters, separators).</summary>
    public int Evasions { get; }

    public double CapsRatio => Letters == 0 ? 0 : (double)UpperLetters / Letters;

    public override string ToString() => string.Join(' ', Tokens.Select(t => t.Text));
}

internal struct SurfaceCounts
{
    public int Exclamations;
    public int Questions;
    public int Letters;
    public int UpperLetters;
    public int Urls;
    public int Mentions;
    public int Evasions;
}
