using Chatroom.Analysis.Moderation.Normalization;
using Chatroom.Core.Moderation;

namespace Chatroom.Analysis.Moderation;

/// <summary>
/// Moderators' decisions on the review queue as labelled rows for the trainer (tools/Chatroom.Moderation.Trainer,
/// <c>--extra</c>): an approved flag says the message was acceptable (not-offensive, not-hate); a hidden, muted or
/// banned one says the flag's categories were right (harassment, violence or hate → offensive; hate → hate). Flags of
/// other categories (spam, self-harm, sexual, minors) say nothing about these tasks and give no row. The text goes
/// through the service's normaliser (evasions undone, mentions and links replaced) as it would at run time.
/// </summary>
public static class ModeratorDecisions
{
    /// <summary>The labels the trainer's safety heads use, as in ../shared/datasets.</summary>
    public const string Offensive = "offensive";
    public const string NotOffensive = "not-offensive";
    public const string Hate = "hate";
    public const string NotHate = "not-hate";

    /// <summary>The states of a resolved flag, in the order they are read.</summary>
    public static readonly string[] ResolvedStates = [FlagStates.Approved, FlagStates.Hidden, FlagStates.Muted, FlagStates.Banned];

    /// <summary>What the moderator's decision says of the message: safe (approved), unsafe (hidden, muted, banned), or null (open).</summary>
    public static string? Safety(FlagRecord flag) => flag.State switch
    {
        FlagStates.Approved => SafetyLabels.Safe,
        FlagStates.Hidden or FlagStates.Muted or FlagStates.Banned => SafetyLabels.Unsafe,
        _ => null,
    };

    /// <summary>The trainer's safety labels of a message judged <paramref name="safety"/> with <paramref name="categories"/>.</summary>
    public static IEnumerable<string> Labels(string? safety, IReadOnlyList<string> categories)
    {
        if (safety == SafetyLabels.Safe)
        {
            yield return NotOffensive;
            yield return NotHate;
            yield break;
        }

        if (safety != SafetyLabels.Unsafe)
        {
            yield break;
        }

        if (categories.Any(c => c is SafetyCategories.Harassment or SafetyCategories.Violence or SafetyCategories.Hate))
        {
            yield return Offensive;
        }

        if (categories.Contains(SafetyCategories.Hate))
        {
            yield return Hate;
        }
    }

    /// <summary>The trainer's <c>label, text</c> rows of one resolved flag (none for an open one).</summary>
    public static IEnumerable<(string Label, string Text)> Rows(FlagRecord flag, TextNormalizer normalizer)
    {
        var text = ExportText(normalizer.Normalize(flag.Text));
        return text.Length == 0 ? [] : Labels(Safety(flag), flag.Categories).Select(label => (label, text));
    }

    /// <summary>
    /// The normalised tokens joined by spaces, with mentions as <c>@user</c> and links as <c>http://url</c> (the
    /// public sets' conventions), so reading the row through the normaliser again gives the same tokens.
    /// </summary>
    public static string ExportText(NormalizedText text) => string.Join(' ', text.Tokens.Select(t => t.Kind switch
    {
        TokenKind.Mention => "@user",
        TokenKind.Url => "http://url",
        _ => t.Text,
    }));
}
