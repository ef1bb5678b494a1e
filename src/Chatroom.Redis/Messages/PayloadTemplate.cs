using System.Globalization;

namespace Chatroom.Redis.Messages;

/// <summary>
/// A message event's JSON with the id left out, for the send script to put the id it draws in between: the event is
/// serialized once in .NET (the one JSON shape of the product) with a placeholder id, then split around it.
/// </summary>
internal static class PayloadTemplate
{
    /// <summary>An id no room reaches; serialized as <c>"id":9223372036854775807</c>.</summary>
    public const long IdPlaceholder = long.MaxValue;

    private const string Property = "\"id\":";

    private static readonly string Marker = Property + IdPlaceholder.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Splits at the first <c>"id":&lt;placeholder&gt;</c>: the message's id comes before its author and text (the only
    /// places a client could write those characters), so the first one is the id. False when the shape has no such id.
    /// </summary>
    public static bool TrySplit(string payload, out string before, out string after)
    {
        var at = payload.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            before = after = string.Empty;
            return false;
        }

        before = payload[..(at + Property.Length)];
        after = payload[(at + Marker.Length)..];
        return true;
    }
}
