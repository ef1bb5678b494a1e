using System.Globalization;
using System.Text.Json;
using Chatroom.Analysis.Moderation;

namespace Chatroom.Moderation.Trainer;

/// <summary>
/// Extra labelled rows for a run (<c>--extra</c>), such as the moderators' decisions the analysis service exports
/// (<c>GET /api/analysis/moderation/decisions</c>): a <c>label&lt;TAB&gt;text</c> TSV whose labels are any task's
/// (the row goes to that task), or JSONL rows of <c>text, safety, categories[, mood]</c> (labelled as
/// <see cref="ModeratorDecisions.Labels"/> says). Each row's loss counts
/// <see cref="TrainingOptions.ExtraWeight"/> times; past <see cref="TrainingOptions.ExtraCap"/> rows per task a seeded
/// sample is kept, so a large export cannot crowd out the public data and the same files give the same rows.
/// </summary>
public static class ExtraRows
{
    /// <summary>The extra rows per task (mood, offensive, hate), texts in file order, capped and weighted.</summary>
    public static (List<LabelledText> Mood, List<LabelledText> Offensive, List<LabelledText> Hate) Read(TrainingOptions options, TextWriter log)
    {
        var mood = new List<LabelledText>();
        var offensive = new List<LabelledText>();
        var hate = new List<LabelledText>();
        foreach (var path in options.Extra)
        {
            foreach (var (label, text) in path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ? Jsonl(path) : Tsv(path))
            {
                Add(mood, TrainingOptions.MoodLabels, label, text);
                Add(offensive, TrainingOptions.OffensiveLabels, label, text);
                Add(hate, TrainingOptions.HateLabels, label, text);
            }
        }

        var result = (Cap(mood, options, 0), Cap(offensive, options, 1), Cap(hate, options, 2));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"extra rows from {options.Extra.Count} file(s): mood {result.Item1.Count}, offensive {result.Item2.Count}, hate {result.Item3.Count} (weight {options.ExtraWeight}, cap {options.ExtraCap} per task)"));
        return result;

        void Add(List<LabelledText> rows, string[] labels, string label, string text)
        {
            var index = Array.IndexOf(labels, label);
            if (index >= 0 && text.Length > 0)
            {
                rows.Add(new LabelledText(text, index, options.ExtraWeight));
            }
        }
    }

    private static List<LabelledText> Cap(List<LabelledText> rows, TrainingOptions options, int task)
    {
        if (rows.Count <= options.ExtraCap)
        {
            return rows;
        }

        var order = Enumerable.Range(0, rows.Count).ToArray();
        new Random(options.Seed + 20 + task).Shuffle(order);
        return order[..options.ExtraCap].Order().Select(i => rows[i]).ToList();
    }

    private static IEnumerable<(string Label, string Text)> Tsv(string path)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine();
        if (header is null || !header.StartsWith("label\t", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: expected a header line 'label<TAB>text'.");
        }

        while (reader.ReadLine() is { } line)
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0)
            {
                yield return (line[..tab], line[(tab + 1)..].Trim());
            }
        }
    }

    private static IEnumerable<(string Label, string Text)> Jsonl(string path)
    {
        foreach (var line in File.ReadLines(path).Where(l => l.Length > 0))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var text = root.GetProperty("text").GetString()?.Trim() ?? string.Empty;
            var categories = root.TryGetProperty("categories", out var list) ? list.EnumerateArray().Select(c => c.GetString() ?? string.Empty).ToList() : [];
            foreach (var label in ModeratorDecisions.Labels(root.TryGetProperty("safety", out var safety) ? safety.GetString() : null, categories))
            {
                yield return (label, text);
            }

            if (root.TryGetProperty("mood", out var mood))
            {
                yield return (mood.GetString() switch { "sad" => "negative", "happy" => "positive", _ => "neutral" }, text);
            }
        }
    }
}
