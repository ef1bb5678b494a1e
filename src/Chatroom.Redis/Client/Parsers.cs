using Chatroom.Redis.Protocol;

namespace Chatroom.Redis.Client;

/// <summary>Reply decoders, cached so sending a command allocates no delegate.</summary>
internal static class Parsers
{
    public static readonly ReplyParser<bool> Ok = static (in frame) => true;

    /// <summary>False for a nil reply (SET … NX that did not set).</summary>
    public static readonly ReplyParser<bool> NotNull = static (in frame) => RespParser.ReadNotNull(frame);

    public static readonly ReplyParser<long> Int64 = static (in frame) => RespParser.ReadInt64(frame);

    public static readonly ReplyParser<string?> String = static (in frame) => RespParser.ReadString(frame);

    public static readonly ReplyParser<RespValue> Value = static (in frame) => RespParser.Read(frame);
}
