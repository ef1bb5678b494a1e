using System.Text.Json;

namespace Chatroom.Moderation.Eval;

/// <summary>
/// One labelled message. From JSONL (the project's dev/held-out format: text, mood, safety, categories) every field
/// is known; from a <c>label&lt;TAB&gt;text</c> file only what its task labels (mood, offensive → unsafe, hate → hate).
/// </summary>
public sealed record LabelledMessage(string Text, string? Mood, string? Safety, IReadOnlyList<string>? Categories)
{
    public static List<LabelledMessage> Read(string path, string? task, int limit)
    {
        var rows = new List<LabelledMessage>();
        if (path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var line in File.ReadLines(path).Where(l => l.Length > 0).Take(limit))
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                rows.Add(new LabelledMessage(
                    root.GetProperty("text").GetString() ?? string.Empty,
                    root.TryGetProperty("mood", out var mood) ? mood.GetString() : null,
                    root.TryGetProperty("safety", out var safety) ? safety.GetString() : null,
                    root.TryGetProperty("categories", out var categories) ? categories.EnumerateArray().Select(c => c.GetString() ?? string.Empty).ToList() : null));
            }

            return rows;
        }

        foreach (var line in File.ReadLines(path).Skip(1).Take(limit))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab <= 0)
            {
                continue;
            }

            var label = line[..tab];
            var text = line[(tab + 1)..];
            rows.Add(task switch
            {
                "mood" => new LabelledMessage(text, label switch { "negative" => "sad", "positive" => "happy", _ => "neutral" }, null, null),
                "offensive" => new LabelledMessage(text, null, label == "offensive" ? "unsafe" : "safe", null),
                "hate" => new LabelledMessage(text, null, null, label == "hate" ? ["hate"] : []),
                _ => throw new ArgumentException($"A TSV file needs --task mood|offensive|hate (got '{task}')."),
            });
        }

        return rows;
    }
}
