using System.Text.Json;
using System.Text.RegularExpressions;

namespace Chatroom.Testing.FakeMilvus;

/// <summary>
/// The part of Milvus' boolean expression language the product sends: <c>field == "v"</c>, <c>field != "v"</c>,
/// <c>field in ["a", "b"]</c>, <c>(A and B)</c>, <c>(A or B)</c>, <c>not (A)</c>. Anything else fails loudly, as Milvus would.
/// </summary>
internal static partial class FakeMilvusFilter
{
    public static Func<JsonElement, bool> Parse(string filter)
    {
        var position = 0;
        var predicate = Expression(filter, ref position);
        Skip(filter, ref position);
        return position == filter.Length ? predicate : throw new FormatException($"cannot parse expression: {filter}");
    }

    private static Func<JsonElement, bool> Expression(string text, ref int position)
    {
        var left = Term(text, ref position);
        while (true)
        {
            Skip(text, ref position);
            if (Take(text, ref position, "and "))
            {
                var l = left;
                var r = Term(text, ref position);
                left = row => l(row) && r(row);
            }
            else if (Take(text, ref position, "or "))
            {
                var l = left;
                var r = Term(text, ref position);
                left = row => l(row) || r(row);
            }
            else
            {
                return left;
            }
        }
    }

    private static Func<JsonElement, bool> Term(string text, ref int position)
    {
        Skip(text, ref position);
        if (Take(text, ref position, "not "))
        {
            var inner = Term(text, ref position);
            return row => !inner(row);
        }

        if (Take(text, ref position, "("))
        {
            var inner = Expression(text, ref position);
            Skip(text, ref position);
            return Take(text, ref position, ")") ? inner : throw new FormatException($"missing ) in {text}");
        }

        var match = ComparisonPattern().Match(text, position);
        if (!match.Success || match.Index != position)
        {
            throw new FormatException($"cannot parse expression at {position}: {text}");
        }

        position += match.Length;
        var field = match.Groups["field"].Value;
        string Value(JsonElement row) => row.TryGetProperty(field, out var v) ? v.ToString() : throw new FormatException($"field {field} not exist");
        switch (match.Groups["op"].Value)
        {
            case "in":
                var values = JsonSerializer.Deserialize<string[]>(match.Groups["list"].Value)!.ToHashSet(StringComparer.Ordinal);
                return row => values.Contains(Value(row));
            case "==":
                var equal = JsonSerializer.Deserialize<string>(match.Groups["value"].Value)!;
                return row => Value(row) == equal;
            default:
                var unequal = JsonSerializer.Deserialize<string>(match.Groups["value"].Value)!;
                return row => Value(row) != unequal;
        }
    }

    private static void Skip(string text, ref int position)
    {
        while (position < text.Length && text[position] == ' ')
        {
            position++;
        }
    }

    private static bool Take(string text, ref int position, string token)
    {
        if (string.CompareOrdinal(text, position, token, 0, token.Length) != 0)
        {
            return false;
        }

        position += token.Length;
        return true;
    }

    [GeneratedRegex("""(?<field>[a-z_]+)\s*(?:(?<op>==|!=)\s*(?<value>"(?:[^"\\]|\\.)*")|(?<op>in)\s*(?<list>\[[^\]]*\]))""")]
    private static partial Regex ComparisonPattern();
}
