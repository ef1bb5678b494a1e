namespace Chatroom.Redis;

/// <summary>Base of every failure the Redis client reports.</summary>
public class RedisException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The server could not be reached, or the connection broke before the reply came; the command may or may not have run.</summary>
public sealed class RedisConnectionException(string message, Exception? inner = null) : RedisException(message, inner);

/// <summary>No reply within the command timeout (<c>syncTimeout</c>); the command may or may not have run.</summary>
public sealed class RedisTimeoutException(string message) : RedisException(message);

/// <summary>The server answered with an error reply.</summary>
public sealed class RedisServerException(string message) : RedisException(message)
{
    /// <summary>The first word of the error (<c>ERR</c>, <c>MOVED</c>, <c>NOSCRIPT</c>, …).</summary>
    public string Prefix { get; } = message.Split(' ', 2)[0];
}

/// <summary>The bytes on the wire were not valid RESP; the connection is closed.</summary>
public sealed class RedisProtocolException(string message) : RedisException(message);
