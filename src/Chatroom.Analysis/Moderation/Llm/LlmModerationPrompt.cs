using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Chatroom.Analysis.Moderation.Llm;

/// <summary>The moderation prompt, its JSON schema and the parser for the model's answer.</summary>
internal static class LlmModerationPrompt
{
    public const string System = """
        You moderate a public chat room. For each numbered message decide its mood (happy, neutral or sad) with a
        moodScore from -1 (very negative) to 1 (very positive), and whether it is safe or unsafe with an unsafeScore
        from 0 to 1. Unsafe means harassment (insults or abuse aimed at people), hate (attacks on protected groups,
        slurs), sexual (explicit content or solicitation), self-harm (intent, or urging others), violence (threats),
        minors (grooming: asking a child's age, secrecy, meeting, sexual talk with minors) or spam (ads, scams, floods).
        Swearing for emphasis, dark humour, games, news and clinical talk are safe. Use the context messages only to
        understand the numbered messages; do not classify the context. Answer with JSON matching the schema.
        """;

    public static readonly JsonElement Schema = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": {
            "verdicts": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": {
                  "id": { "type": "integer" },
                  "mood": { "type": "string", "enum": ["happy", "neutral", "sad"] },
                  "moodScore": { "type": "number" },
                  "safety": { "type": "string", "enum": ["safe", "unsafe"] },
                  "unsafeScore": { "type": "number" },
                  "categories": {
                    "type": "array",
                    "items": { "type": "string", "enum": ["harassment", "hate", "sexual", "self-harm", "violence", "minors", "spam"] }
                  }
                },
                "required": ["id", "mood", "moodScore", "safety", "unsafeScore", "categories"],
                "additionalProperties": false
              }
            }
          },
          "required": ["verdicts"],
          "additionalProperties": false
        }
        """).RootElement.Clone();

    public static string User(IReadOnlyList<string> batch, IReadOnlyList<string> context)
    {
        var builder = new StringBuilder();
        if (context.Count > 0)
        {
            builder.AppendLine("Context (earlier messages in the room, oldest first):");
            foreach (var line in context)
            {
                builder.Append("- ").AppendLine(JsonSerializer.Serialize(line));
            }

            builder.AppendLine();
        }

        builder.AppendLine("Messages to classify:");
        for (var i = 0; i < batch.Count; i++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{i + 1}. ").AppendLine(JsonSerializer.Serialize(batch[i]));
        }

        return builder.ToString();
    }

    /// <summary>Parses the model's JSON; entries that are missing or invalid come back null. Throws <see cref="JsonException"/> on malformed JSON.</summary>
    public static ModerationVerdict?[] Parse(string text, int count, string model)
    {
        var json = text.Trim();
        if (json.StartsWith("```", StringComparison.Ordinal))
        {
            // Small models sometimes fence their JSON despite the schema.
            var first = json.IndexOf('\n', StringComparison.Ordinal);
            var last = json.LastIndexOf("```", StringComparison.Ordinal);
            json = first > 0 && last > first ? json[(first + 1)..last] : json;
        }

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var array = root.ValueKind == JsonValueKind.Array ? root
            : root.TryGetProperty("verdicts", out var verdicts) && verdicts.ValueKind == JsonValueKind.Array ? verdicts
            : throw new InvalidDataException("The model's answer has no verdicts array.");

        var result = new ModerationVerdict?[count];
        var position = 0;
        foreach (var item in array.EnumerateArray())
        {
            var index = item.TryGetProperty("id", out var id) && id.TryGetInt32(out var n) ? n - 1 : position;
            position++;
            if (index < 0 || index >= count || item.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            result[index] = ToVerdict(item, model);
        }

        return result;
    }

    private static ModerationVerdict? ToVerdict(JsonElement item, string model)
    {
        var mood = item.TryGetProperty("mood", out var m) ? m.GetString() : null;
        var safety = item.TryGetProperty("safety", out var s) ? s.GetString() : null;
        if (mood is null || !Moods.All.Contains(mood) || safety is not (SafetyLabels.Safe or SafetyLabels.Unsafe))
        {
            return null;
        }

        var moodScore = item.TryGetProperty("moodScore", out var ms) && ms.TryGetDouble(out var msv) ? Math.Clamp(msv, -1, 1) : 0;
        var unsafeScore = item.TryGetProperty("unsafeScore", out var us) && us.TryGetDouble(out var usv)
            ? Math.Clamp(usv, 0, 1)
            : safety == SafetyLabels.Unsafe ? 0.9 : 0.1;
        var categories = new List<string>();
        if (safety == SafetyLabels.Unsafe && item.TryGetProperty("categories", out var c) && c.ValueKind == JsonValueKind.Array)
        {
            foreach (var category in c.EnumerateArray())
            {
                if (category.GetString() is { } name && SafetyCategories.IsKnown(name) && !categories.Contains(name))
                {
                    categories.Add(name);
                }
            }
        }

        return new ModerationVerdict
        {
            Mood = mood,
            MoodScore = moodScore,
            MoodConfidence = 0.9,
            Safety = safety,
            UnsafeScore = unsafeScore,
            Categories = categories,
            Confidence = safety == SafetyLabels.Unsafe ? Math.Max(unsafeScore, 0.5) : Math.Max(1 - unsafeScore, 0.5),
            Tier = SafetyLabels.LlmTier,
            Model = model,
        };
    }
}
