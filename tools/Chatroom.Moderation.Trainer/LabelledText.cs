using System.Globalization;

namespace Chatroom.Moderation.Trainer;

/// <summary>One labelled example: the text, the index of its label in the task's label list, and the weight of its loss.</summary>
public sealed record LabelledText(string Text, int Label, double Weight = 1)
{
    /// <summary>
    /// Reads a <c>label&lt;TAB&gt;text</c> file with a header line (the format of ../shared/datasets); labels are mapped
    /// through <paramref name="labels"/> in order, and texts seen before are skipped so a duplicate cannot sit on both
    /// sides of the validation split.
    /// </summary>
    public static List<LabelledText> ReadTsv(string path, string[] labels, int limit = int.MaxValue)
    {
        var rows = new List<LabelledText>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var reader = new StreamReader(path);
        var header = reader.ReadLine();
        if (header is null || !header.StartsWith("label\t", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: expected a header line 'label<TAB>text'.");
        }

        var line = 1;
        while (reader.ReadLine() is { } row && rows.Count < limit)
        {
            line++;
            var tab = row.IndexOf('\t', StringComparison.Ordinal);
            if (tab <= 0)
            {
                continue;
            }

            var label = row[..tab];
            var index = Array.IndexOf(labels, label);
            if (index < 0)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}:{line}: unknown label '{label}'."));
            }

            var text = row[(tab + 1)..].Trim();
            if (text.Length > 0 && seen.Add(text))
            {
                rows.Add(new LabelledText(text, index));
            }
        }

        return rows;
    }
}
