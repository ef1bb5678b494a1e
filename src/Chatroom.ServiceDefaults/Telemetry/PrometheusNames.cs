using System.Text;
using OpenTelemetry;

namespace Chatroom.ServiceDefaults.Telemetry;

/// <summary>OpenTelemetry → Prometheus naming, as the OpenTelemetry specification's Prometheus compatibility describes.</summary>
internal static class PrometheusNames
{
    public static string MetricName(string name, string? unit)
    {
        var sanitized = Sanitize(name, allowColon: true);
        var suffix = UnitSuffix(unit);
        return suffix.Length == 0 || sanitized.EndsWith("_" + suffix, StringComparison.Ordinal)
            ? sanitized
            : sanitized + "_" + suffix;
    }

    /// <summary>
    /// Gauges may not end in a histogram's suffixes (<c>_count</c>, <c>_sum</c>, <c>_bucket</c>), yet the runtime
    /// publishes <c>dotnet.assembly.count</c> and the like: those get <c>_value</c> appended.
    /// </summary>
    public static string AvoidReservedSuffix(string name) =>
        name.EndsWith("_count", StringComparison.Ordinal) || name.EndsWith("_sum", StringComparison.Ordinal) ||
        name.EndsWith("_bucket", StringComparison.Ordinal)
            ? name + "_value"
            : name;

    public static string Labels(ReadOnlyTagCollection tags)
    {
        if (tags.Count == 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        foreach (var tag in tags)
        {
            if (builder.Length > 0)
            {
                builder.Append(',');
            }

            builder.Append(Sanitize(tag.Key, allowColon: false)).Append("=\"");
            AppendEscaped(builder, Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
            builder.Append('"');
        }

        return builder.ToString();
    }

    public static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static void AppendEscaped(StringBuilder builder, string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => builder.Append("\\\\"),
                '"' => builder.Append("\\\""),
                '\n' => builder.Append("\\n"),
                _ => builder.Append(c),
            };
        }
    }

    private static string UnitSuffix(string? unit) => unit switch
    {
        null or "" or "1" => string.Empty,
        "s" => "seconds",
        "ms" => "milliseconds",
        "By" => "bytes",
        "%" => "percent",
        _ when unit.StartsWith('{') => string.Empty,
        _ => Sanitize(unit, allowColon: false).Trim('_'),
    };

    private static string Sanitize(string name, bool allowColon)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            var ok = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_' || (allowColon && c == ':');
            builder.Append(ok ? c : '_');
        }

        if (builder.Length > 0 && char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        // Collapse runs of '_' (e.g. from "a.b_c" style names) to keep names readable.
        var collapsed = builder.ToString();
        while (collapsed.Contains("__", StringComparison.Ordinal))
        {
            collapsed = collapsed.Replace("__", "_", StringComparison.Ordinal);
        }

        return collapsed;
    }
}
