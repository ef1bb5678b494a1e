using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Chatroom.Redis.Protocol;

/// <summary>
/// Reads RESP2 and RESP3 reply frames. <see cref="TrySkip"/> finds where a complete frame ends
/// (nothing is allocated); the Read methods then decode a complete frame.
/// </summary>
internal static class RespParser
{
    private static ReadOnlySpan<byte> CrLf => "\r\n"u8;

    /// <summary>Moves past one complete frame; false (position undefined) when more bytes are needed.</summary>
    public static bool TrySkip(ref SequenceReader<byte> reader)
    {
        if (!reader.TryRead(out var type))
        {
            return false;
        }

        switch (type)
        {
            case (byte)'+' or (byte)'-' or (byte)':' or (byte)',' or (byte)'(' or (byte)'#' or (byte)'_':
                return reader.TryAdvanceTo((byte)'\n');
            case (byte)'$' or (byte)'!' or (byte)'=':
            {
                if (!TryReadLength(ref reader, out var length))
                {
                    return false;
                }

                if (length < 0)
                {
                    return true;
                }

                if (reader.Remaining < length + 2)
                {
                    return false;
                }

                reader.Advance(length + 2);
                return true;
            }

            case (byte)'*' or (byte)'~' or (byte)'>' or (byte)'%' or (byte)'|':
            {
                if (!TryReadLength(ref reader, out var count))
                {
                    return false;
                }

                if (type is (byte)'%' or (byte)'|')
                {
                    count *= 2;
                }

                for (long i = 0; i < count; i++)
                {
                    if (!TrySkip(ref reader))
                    {
                        return false;
                    }
                }

                // An attribute is followed by the reply it annotates.
                return type != (byte)'|' || TrySkip(ref reader);
            }

            default:
                throw new RedisProtocolException($"Unexpected RESP type byte 0x{type:X2}.");
        }
    }

    /// <summary>True when the frame is an error reply (<c>-</c> or RESP3 <c>!</c>).</summary>
    public static bool IsError(in ReadOnlySequence<byte> frame, out string message)
    {
        var first = frame.FirstSpan[0];
        if (first is not ((byte)'-' or (byte)'!'))
        {
            message = string.Empty;
            return false;
        }

        var value = Read(frame);
        message = value.Text ?? string.Empty;
        return true;
    }

    public static RespValue Read(in ReadOnlySequence<byte> frame)
    {
        var reader = new SequenceReader<byte>(frame);
        return Read(ref reader);
    }

    public static RespValue Read(ref SequenceReader<byte> reader)
    {
        reader.TryRead(out var type);
        switch (type)
        {
            case (byte)'+':
                return RespValue.FromText(RespKind.SimpleString, ReadLineString(ref reader));
            case (byte)'-':
                return RespValue.FromText(RespKind.Error, ReadLineString(ref reader));
            case (byte)':':
                return RespValue.FromInteger(ReadLineInt64(ref reader));
            case (byte)',':
                return RespValue.FromText(RespKind.Double, ReadLineString(ref reader));
            case (byte)'(':
                return RespValue.FromText(RespKind.BigNumber, ReadLineString(ref reader));
            case (byte)'#':
                return RespValue.FromBoolean(ReadLineString(ref reader) == "t");
            case (byte)'_':
                reader.TryAdvanceTo((byte)'\n');
                return RespValue.Nil;
            case (byte)'$' or (byte)'!' or (byte)'=':
            {
                var text = ReadBulkString(ref reader);
                if (text is null)
                {
                    return RespValue.Nil;
                }

                // Verbatim strings start with a three-letter format and a colon ("txt:").
                return type switch
                {
                    (byte)'!' => RespValue.FromText(RespKind.Error, text),
                    (byte)'=' => RespValue.FromText(RespKind.BulkString, text.Length >= 4 ? text[4..] : text),
                    _ => RespValue.FromText(RespKind.BulkString, text),
                };
            }

            case (byte)'*' or (byte)'~' or (byte)'>' or (byte)'%' or (byte)'|':
            {
                var count = ReadLineInt64(ref reader);
                if (count < 0)
                {
                    return RespValue.Nil;
                }

                if (type is (byte)'%' or (byte)'|')
                {
                    count *= 2;
                }

                var items = count == 0 ? [] : new RespValue[count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = Read(ref reader);
                }

                return type switch
                {
                    (byte)'|' => Read(ref reader),
                    (byte)'%' => RespValue.FromItems(RespKind.Map, items),
                    (byte)'~' => RespValue.FromItems(RespKind.Set, items),
                    (byte)'>' => RespValue.FromItems(RespKind.Push, items),
                    _ => RespValue.FromItems(RespKind.Array, items),
                };
            }

            default:
                throw new RedisProtocolException($"Unexpected RESP type byte 0x{type:X2}.");
        }
    }

    /// <summary>Integer replies (and numeric strings, as some commands return).</summary>
    public static long ReadInt64(in ReadOnlySequence<byte> frame)
    {
        var reader = new SequenceReader<byte>(frame);
        reader.TryRead(out var type);
        return type switch
        {
            (byte)':' => ReadLineInt64(ref reader),
            (byte)'_' => 0,
            (byte)'$' or (byte)'+' => long.Parse(Rewind(frame).AsString() ?? "0", NumberStyles.Integer, CultureInfo.InvariantCulture),
            _ => throw new RedisProtocolException($"Expected an integer reply, got '{(char)type}'."),
        };
    }

    /// <summary>A bulk or simple string reply; null for nil.</summary>
    public static string? ReadString(in ReadOnlySequence<byte> frame)
    {
        var reader = new SequenceReader<byte>(frame);
        reader.TryRead(out var type);
        return type switch
        {
            (byte)'$' => ReadBulkString(ref reader),
            (byte)'+' => ReadLineString(ref reader),
            (byte)'_' => null,
            _ => Rewind(frame).AsString(),
        };
    }

    /// <summary>True for a status or value reply, false for nil (e.g. SET … NX that did not set).</summary>
    public static bool ReadNotNull(in ReadOnlySequence<byte> frame)
    {
        var first = frame.FirstSpan[0];
        return first switch
        {
            (byte)'_' => false,
            (byte)'$' or (byte)'*' => frame.FirstSpan.Length < 2 || frame.FirstSpan[1] != (byte)'-',
            _ => true,
        };
    }

    private static RespValue Rewind(in ReadOnlySequence<byte> frame) => Read(frame);

    private static bool TryReadLength(ref SequenceReader<byte> reader, out long value)
    {
        value = 0;
        if (!reader.TryReadTo(out ReadOnlySpan<byte> line, CrLf))
        {
            return false;
        }

        if (!Utf8Parser.TryParse(line, out value, out var consumed) || consumed != line.Length)
        {
            throw new RedisProtocolException("Malformed RESP length.");
        }

        return true;
    }

    private static long ReadLineInt64(ref SequenceReader<byte> reader)
    {
        TryReadLength(ref reader, out var value);
        return value;
    }

    private static string ReadLineString(ref SequenceReader<byte> reader)
    {
        reader.TryReadTo(out ReadOnlySequence<byte> line, CrLf);
        return Encoding.UTF8.GetString(line);
    }

    private static string? ReadBulkString(ref SequenceReader<byte> reader)
    {
        TryReadLength(ref reader, out var length);
        if (length < 0)
        {
            return null;
        }

        var text = reader.UnreadSpan.Length >= length
            ? Encoding.UTF8.GetString(reader.UnreadSpan[..(int)length])
            : Encoding.UTF8.GetString(reader.UnreadSequence.Slice(0, length));
        reader.Advance(length + 2);
        return text;
    }
}
