using System.Buffers;
using Chatroom.Redis.Protocol;

namespace Chatroom.Redis.Client;

/// <summary>
/// One request: a pre-encoded command name and its arguments in a pooled array. It stays alive
/// until the reply arrives, so a redirected cluster command can be written again.
/// </summary>
internal struct RedisCommand
{
    private RedisArg[] _args;
    private int _count;

    public RedisCommand(CommandName name, int capacity, int keyIndex = -1)
    {
        Name = name;
        KeyIndex = keyIndex;
        _args = ArrayPool<RedisArg>.Shared.Rent(Math.Max(capacity, 1));
        _count = 0;
    }

    public CommandName Name { get; }

    /// <summary>Index of the argument that routes the command in a cluster; -1 when any node will do.</summary>
    public int KeyIndex { get; set; }

    public readonly int Count => _count;

    public readonly RedisArg this[int index] => _args[index];

    public readonly string? RoutingKey => KeyIndex >= 0 && KeyIndex < _count ? _args[KeyIndex].Text : null;

    public void Add(string value) => Append(new RedisArg(value));

    public void Add(long value) => Append(new RedisArg(value));

    public void Add(byte[] value) => Append(new RedisArg(value));

    public void Add(CommandName token) => Append(new RedisArg(token));

    public readonly void WriteTo(IBufferWriter<byte> writer)
    {
        RespWriter.WriteArrayHeader(writer, _count + 1);
        RespWriter.WriteRaw(writer, Name.Encoded);
        for (var i = 0; i < _count; i++)
        {
            _args[i].WriteTo(writer);
        }
    }

    public void Return()
    {
        if (_args is null)
        {
            return;
        }

        Array.Clear(_args, 0, _count);
        ArrayPool<RedisArg>.Shared.Return(_args);
        _args = null!;
        _count = 0;
    }

    public override readonly string ToString() => Name.Text;

    private void Append(RedisArg arg)
    {
        if (_count == _args.Length)
        {
            var larger = ArrayPool<RedisArg>.Shared.Rent(_args.Length * 2);
            Array.Copy(_args, larger, _count);
            Array.Clear(_args, 0, _count);
            ArrayPool<RedisArg>.Shared.Return(_args);
            _args = larger;
        }

        _args[_count++] = arg;
    }
}

/// <summary>One argument: text, an integer, raw bytes or a pre-encoded token.</summary>
internal readonly struct RedisArg
{
    private readonly object? _reference;
    private readonly long _number;

    public RedisArg(string value) => _reference = value;

    public RedisArg(long value) => _number = value;

    public RedisArg(byte[] value) => _reference = value;

    public RedisArg(CommandName token) => _reference = token;

    public string? Text => _reference as string;

    public void WriteTo(IBufferWriter<byte> writer)
    {
        switch (_reference)
        {
            case string text:
                RespWriter.WriteBulk(writer, text);
                break;
            case byte[] bytes:
                RespWriter.WriteBulk(writer, bytes);
                break;
            case CommandName token:
                RespWriter.WriteRaw(writer, token.Encoded);
                break;
            default:
                RespWriter.WriteBulk(writer, _number);
                break;
        }
    }
}

/// <summary>A command name or keyword encoded once as a RESP bulk string.</summary>
internal sealed class CommandName(string text)
{
    public string Text { get; } = text;

    public byte[] Encoded { get; } = RespWriter.Encode(text);
}
