namespace Chatroom.Core.Errors;

/// <summary>
/// The one translation of a failure into what the caller is told: a <see cref="ChatException"/> is already a refusal,
/// and a <see cref="BackendUnavailableException"/> becomes <c>backend_unavailable</c>. The REST exception handler and the
/// hub filter both ask here, so an outage reads the same on every transport; the HTTP status of each code is
/// <c>ChatProblems.StatusFor</c>.
/// </summary>
public static class Refusals
{
    public const string BackendUnavailableSentence = "storage is unavailable; nothing was stored, try again shortly";

    /// <summary>An outage usually lasts longer than a client's next keystroke, so clients are told to wait a moment.</summary>
    public static readonly TimeSpan BackendRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>The refusal a failure means to the caller, or null when it is a fault rather than a refusal.</summary>
    public static ChatException? From(Exception exception) => exception switch
    {
        ChatException refusal => refusal,
        BackendUnavailableException outage => new ChatException(ErrorCodes.BackendUnavailable, BackendUnavailableSentence, BackendRetryAfter, outage),
        _ => null,
    };
}
