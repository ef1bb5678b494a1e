namespace Chatroom.Core.Errors;

/// <summary>A refusal with a stable <see cref="Code"/> and a sentence a person can act on.</summary>
public sealed class ChatException(string code, string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public string Code { get; } = code;

    /// <summary>When waiting helps (rate limit, slow mode, mute), how long.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>The form hub refusals take on the wire: <c>code: sentence</c>.</summary>
    public string WireMessage => $"{Code}: {Message}";
}
