using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Chatroom.Analysis.Agents.Tools;

/// <summary>
/// Checks a tool call's arguments against the tool's declared JSON schema before anything runs: no argument the tool
/// does not take, strings where strings are declared and whole numbers where integers are, required ones present and
/// not empty. Arguments may be JSON values (from a model) or plain objects (from a parsed command); the checked ones
/// come back as plain values, and absent or null ones are left out so the method's defaults apply.
/// </summary>
internal static class ToolArguments
{
    public static bool TryCheck(AIFunction tool, IDictionary<string, object?>? given, out AIFunctionArguments checkedArguments, [NotNullWhen(false)] out string? refusal)
    {
        checkedArguments = new AIFunctionArguments(StringComparer.Ordinal);
        refusal = null;
        var schema = tool.JsonSchema;
        var properties = schema.TryGetProperty("properties", out var declared) && declared.ValueKind == JsonValueKind.Object ? declared : default;
        if (given?.Keys.FirstOrDefault(key => properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(key, out _)) is { } unknown)
        {
            refusal = $"error: {tool.Name} takes no argument '{unknown}'";
            return false;
        }

        if (properties.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        var required = schema.TryGetProperty("required", out var names) && names.ValueKind == JsonValueKind.Array
            ? names.EnumerateArray().Select(n => n.GetString()).ToHashSet(StringComparer.Ordinal)
            : [];
        foreach (var property in properties.EnumerateObject())
        {
            var value = given is not null && given.TryGetValue(property.Name, out var v) ? v : null;
            object? plain;
            try
            {
                plain = DeclaredType(property.Value) switch
                {
                    "string" => Text(property.Name, value),
                    "integer" => Integer(property.Name, value),
                    _ => value,
                };
            }
            catch (ArgumentException e)
            {
                refusal = $"error: {e.Message}";
                return false;
            }

            if (plain is null or "" && required.Contains(property.Name))
            {
                refusal = $"error: '{property.Name}' is required";
                return false;
            }

            if (plain is not null)
            {
                checkedArguments[property.Name] = plain;
            }
        }

        return true;
    }

    /// <summary>The declared JSON type, with a nullable one (<c>["string","null"]</c>) read as its non-null type.</summary>
    private static string? DeclaredType(JsonElement property) =>
        !property.TryGetProperty("type", out var type) ? null
        : type.ValueKind == JsonValueKind.String ? type.GetString()
        : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null")
        : null;

    private static string? Text(string name, object? value) => value switch
    {
        null => null,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        JsonElement { ValueKind: JsonValueKind.Null } => null,
        _ => throw new ArgumentException($"'{name}' must be a string"),
    };

    private static int? Integer(string name, object? value) => value switch
    {
        null => null,
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        JsonElement { ValueKind: JsonValueKind.Number } e when e.TryGetInt32(out var i) => i,
        JsonElement { ValueKind: JsonValueKind.Null } => null,
        _ => throw new ArgumentException($"'{name}' must be a whole number"),
    };
}
