using System.Text.Json;
using Chatroom.Core.Chat;
using Chatroom.Core.Rooms;

namespace Chatroom.Core.Agents;

/// <summary>
/// Validates a definition's JSON against the rules of docs/agent.schema.json and reports every problem with its
/// JSON Pointer, so an editor can show each one beside its field.
/// </summary>
public static class AgentValidator
{
    public const int MaxNameLength = 32;
    public const int MaxDescriptionLength = 500;
    public const int MaxPersonaLength = 8000;
    public const int MaxKeywords = 20;
    public const int MaxKeywordLength = 40;
    public const int MaxIntentLength = 300;
    public const int MaxRooms = 100;

    private static readonly HashSet<string> TopLevel = ["name", "description", "persona", "model", "triggers", "rooms", "tools", "limits", "temperature", "enabled"];
    private static readonly HashSet<string> TriggerFields = ["mention", "keywords", "direct", "intent"];
    private static readonly HashSet<string> LimitFields = ["maxTokens", "maxTurns", "repliesPerMinute"];

    public static bool IsValidName(string? name) =>
        name is { Length: >= 2 and <= MaxNameLength } && name[0] is >= 'a' and <= 'z' &&
        name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-');

    /// <summary>The definition, or the list of everything wrong with the JSON.</summary>
    public static (AgentDefinition? Definition, IReadOnlyList<AgentValidationError> Errors) Validate(JsonElement json)
    {
        var errors = new List<AgentValidationError>();
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("", "must be a JSON object"));
            return (null, errors);
        }

        Unknown(json, TopLevel, "", errors);
        var name = String(json, "name", "", errors, required: true, MaxNameLength);
        if (name is not null && !IsValidName(name))
        {
            errors.Add(new("/name", "must be 2-32 characters: a lower-case letter, then lower-case letters, digits or '-'"));
        }

        var description = String(json, "description", "", errors, required: false, MaxDescriptionLength);
        var persona = String(json, "persona", "", errors, required: false, MaxPersonaLength);
        var model = String(json, "model", "", errors, required: false, 20);
        if (model is not null and not (AgentModels.Analysis or AgentModels.Reasoning))
        {
            errors.Add(new("/model", "must be \"analysis\" or \"reasoning\""));
        }

        var triggers = new AgentTriggers();
        if (json.TryGetProperty("triggers", out var t))
        {
            if (t.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new("/triggers", "must be an object"));
            }
            else
            {
                Unknown(t, TriggerFields, "/triggers", errors);
                var keywords = Strings(t, "keywords", "/triggers", errors, MaxKeywords, MaxKeywordLength) ?? [];
                triggers = new AgentTriggers
                {
                    Mention = Bool(t, "mention", "/triggers", errors) ?? true,
                    Direct = Bool(t, "direct", "/triggers", errors) ?? false,
                    Keywords = keywords.Select(k => k.Trim().ToLowerInvariant()).ToList(),
                    Intent = String(t, "intent", "/triggers", errors, required: false, MaxIntentLength),
                };
                for (var i = 0; i < keywords.Count; i++)
                {
                    if (string.IsNullOrWhiteSpace(keywords[i]))
                    {
                        errors.Add(new($"/triggers/keywords/{i}", "must not be empty"));
                    }
                }
            }
        }

        var rooms = Strings(json, "rooms", "", errors, MaxRooms, RoomNames.MaxLength) ?? [];
        for (var i = 0; i < rooms.Count; i++)
        {
            if (!RoomNames.IsValid(rooms[i]))
            {
                errors.Add(new($"/rooms/{i}", "must be a room name: 1-64 of lower-case letters, digits and '-'"));
            }
        }

        var tools = Strings(json, "tools", "", errors, AgentTools.All.Count, 40) ?? [];
        for (var i = 0; i < tools.Count; i++)
        {
            if (!AgentTools.All.Contains(tools[i]))
            {
                errors.Add(new($"/tools/{i}", $"unknown tool '{tools[i]}'; tools are {string.Join(", ", AgentTools.All)}"));
            }
        }

        var limits = new AgentLimits();
        if (json.TryGetProperty("limits", out var l))
        {
            if (l.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new("/limits", "must be an object"));
            }
            else
            {
                Unknown(l, LimitFields, "/limits", errors);
                limits = new AgentLimits
                {
                    MaxTokens = Int(l, "maxTokens", "/limits", errors, 16, 8192) ?? limits.MaxTokens,
                    MaxTurns = Int(l, "maxTurns", "/limits", errors, 1, 20) ?? limits.MaxTurns,
                    RepliesPerMinute = Int(l, "repliesPerMinute", "/limits", errors, 1, 120) ?? limits.RepliesPerMinute,
                };
            }
        }

        double temperature = 0.7;
        if (json.TryGetProperty("temperature", out var temp))
        {
            if (temp.ValueKind != JsonValueKind.Number || !temp.TryGetDouble(out temperature) || temperature is < 0 or > 2)
            {
                errors.Add(new("/temperature", "must be a number from 0 to 2"));
            }
        }

        var enabled = Bool(json, "enabled", "", errors) ?? true;
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new AgentDefinition
        {
            Name = name!,
            Description = description ?? string.Empty,
            Persona = persona ?? string.Empty,
            Model = model ?? AgentModels.Reasoning,
            Triggers = triggers,
            Rooms = rooms,
            Tools = tools,
            Limits = limits,
            Temperature = temperature,
            Enabled = enabled,
        }, errors);
    }

    public static JsonElement ToJson(AgentDefinition definition) => ChatJson.ToElement(definition);

    private static void Unknown(JsonElement obj, HashSet<string> known, string path, List<AgentValidationError> errors)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                errors.Add(new($"{path}/{property.Name}", "is not a known property"));
            }
        }
    }

    private static string? String(JsonElement obj, string property, string path, List<AgentValidationError> errors, bool required, int maxLength)
    {
        if (!obj.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add(new($"{path}/{property}", "is required"));
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new($"{path}/{property}", "must be a string"));
            return null;
        }

        var text = value.GetString()!;
        if (ChatService.CountCharacters(text) > maxLength)
        {
            errors.Add(new($"{path}/{property}", $"must be at most {maxLength} characters"));
            return null;
        }

        return text;
    }

    private static List<string>? Strings(JsonElement obj, string property, string path, List<AgentValidationError> errors, int maxItems, int maxLength)
    {
        if (!obj.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new($"{path}/{property}", "must be an array of strings"));
            return null;
        }

        if (value.GetArrayLength() > maxItems)
        {
            errors.Add(new($"{path}/{property}", $"must have at most {maxItems} items"));
            return null;
        }

        var list = new List<string>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                errors.Add(new($"{path}/{property}/{i}", "must be a string"));
            }
            else if (ChatService.CountCharacters(item.GetString()!) > maxLength)
            {
                errors.Add(new($"{path}/{property}/{i}", $"must be at most {maxLength} characters"));
            }
            else
            {
                list.Add(item.GetString()!);
            }

            i++;
        }

        if (list.Distinct(StringComparer.Ordinal).Count() != list.Count)
        {
            errors.Add(new($"{path}/{property}", "must not repeat items"));
        }

        return list;
    }

    private static bool? Bool(JsonElement obj, string property, string path, List<AgentValidationError> errors)
    {
        if (!obj.TryGetProperty(property, out var value))
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        errors.Add(new($"{path}/{property}", "must be true or false"));
        return null;
    }

    private static int? Int(JsonElement obj, string property, string path, List<AgentValidationError> errors, int min, int max)
    {
        if (!obj.TryGetProperty(property, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max)
        {
            return number;
        }

        errors.Add(new($"{path}/{property}", $"must be a whole number from {min} to {max}"));
        return null;
    }
}
