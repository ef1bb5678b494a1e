using System.Globalization;

namespace Chatroom.Redis.Protocol;

/// <summary>The RESP2/RESP3 reply kinds, with RESP3 maps, sets and pushes kept apart from arrays.</summary>
internal enum RespKind : byte
{
    SimpleString,
    Error,
    Integer,
    BulkString,
    Array,
    Null,
    Boolean,
    Double,
    BigNumber,
    Map,
    Set,
    Push,
}

/// <summary>
/// A parsed reply for commands whose result is structured (streams, hashes, scripts). Maps are stored
/// flattened (key, value, key, value …) so RESP2 and RESP3 replies read the same way.
/// </summary>
internal sealed class RespValue
{
    public static readonly RespValue Nil = new(RespKind.Null, null, 0, null);

    private RespValue(RespKind kind, string? text, long integer, RespValue[]? items)
    {
        Kind = kind;
        Text = text;
        Integer = integer;
        Items = items;
    }

    public RespKind Kind { get; }

    public string? Text { get; }

    public long Integer { get; }

    public RespValue[]? Items { get; }

    public bool IsNull => Kind == RespKind.Null;

    public bool IsAggregate => Items is not null;

    public int Count => Items?.Length ?? 0;

    public RespValue this[int index] => Items![index];

    public static RespValue FromText(RespKind kind, string text) => new(kind, text, 0, null);

    public static RespValue FromInteger(long value) => new(RespKind.Integer, null, value, null);

    public static RespValue FromBoolean(bool value) => new(RespKind.Boolean, null, value ? 1 : 0, null);

    public static RespValue FromItems(RespKind kind, RespValue[] items) => new(kind, null, 0, items);

    /// <summary>The value as text: strings as they are, numbers formatted invariantly, null for nil.</summary>
    public string? AsString() => Kind switch
    {
        RespKind.Integer or RespKind.Boolean => Integer.ToString(CultureInfo.InvariantCulture),
        _ => Text,
    };

    public long AsInt64() => Kind switch
    {
        RespKind.Integer or RespKind.Boolean => Integer,
        RespKind.Null => 0,
        _ => long.Parse(Text!, NumberStyles.Integer, CultureInfo.InvariantCulture),
    };

    public override string ToString() => IsAggregate
        ? $"{Kind}[{string.Join(", ", Items!.Select(i => i.ToString()))}]"
        : $"{Kind}:{AsString() ?? "nil"}";
}
