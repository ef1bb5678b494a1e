using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Chatroom.Redis.Protocol;

/// <summary>Writes RESP request frames (arrays of bulk strings) straight into a buffer writer.</summary>
internal static class RespWriter
{
    private const int MaxHeaderLength = 24;

    public static void WriteArrayHeader(IBufferWriter<byte> writer, int count) => WriteHeader(writer, (byte)'*', count);

    public static void WriteBulk(IBufferWriter<byte> writer, ReadOnlySpan<byte> value)
    {
        var span = writer.GetSpan(value.Length + MaxHeaderLength);
        var written = WriteHeader(span, (byte)'$', value.Length);
        value.CopyTo(span[written..]);
        written += value.Length;
        span[written++] = (byte)'\r';
        span[written++] = (byte)'\n';
        writer.Advance(written);
    }

    public static void WriteBulk(IBufferWriter<byte> writer, string value)
    {
        if (value.Length < 128 && IsAscii(value))
        {
            var span = writer.GetSpan(value.Length + MaxHeaderLength);
            var written = WriteHeader(span, (byte)'$', value.Length);
            for (var i = 0; i < value.Length; i++)
            {
                span[written + i] = (byte)value[i];
            }

            written += value.Length;
            span[written++] = (byte)'\r';
            span[written++] = (byte)'\n';
            writer.Advance(written);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        var target = writer.GetSpan(length + MaxHeaderLength);
        var count = WriteHeader(target, (byte)'$', length);
        count += Encoding.UTF8.GetBytes(value, target[count..]);
        target[count++] = (byte)'\r';
        target[count++] = (byte)'\n';
        writer.Advance(count);
    }

    public static void WriteBulk(IBufferWriter<byte> writer, long value)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out var length);
        WriteBulk(writer, digits[..length]);
    }

    /// <summary>Copies bytes that are already a complete RESP bulk string (pre-encoded command names).</summary>
    public static void WriteRaw(IBufferWriter<byte> writer, ReadOnlySpan<byte> frame)
    {
        var span = writer.GetSpan(frame.Length);
        frame.CopyTo(span);
        writer.Advance(frame.Length);
    }

    /// <summary>Pre-encodes a command name as a RESP bulk string.</summary>
    public static byte[] Encode(string name)
    {
        var buffer = new ArrayBufferWriter<byte>(name.Length + MaxHeaderLength);
        WriteBulk(buffer, name);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteHeader(IBufferWriter<byte> writer, byte prefix, int count)
    {
        var span = writer.GetSpan(MaxHeaderLength);
        writer.Advance(WriteHeader(span, prefix, count));
    }

    private static int WriteHeader(Span<byte> span, byte prefix, int count)
    {
        span[0] = prefix;
        Utf8Formatter.TryFormat(count, span[1..], out var length);
        span[length + 1] = (byte)'\r';
        span[length + 2] = (byte)'\n';
        return length + 3;
    }

    private static bool IsAscii(string value)
    {
        foreach (var c in value)
        {
            if (c > 0x7F)
            {
                return false;
            }
        }

        return true;
    }
}
