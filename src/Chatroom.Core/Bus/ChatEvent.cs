using System.Text.Json;

namespace Chatroom.Core.Bus;

/// <summary>
/// An event fanned out to every node: <see cref="Type"/> is the client event name
/// (<c>message</c>, <c>presence</c>, …), <see cref="Room"/> null for the global channel.
/// </summary>
public sealed record ChatEvent(string Type, string? Room, JsonElement Data);

/// <summary>Client event names, the hub's public surface (docs/protocol.md, "Events").</summary>
public static class ChatEventTypes
{
    public const string Message = "message";
    public const string MessageHidden = "messageHidden";
    public const string Presence = "presence";
    public const string Typing = "typing";
    public const string AgentDelta = "agentDelta";
    public const string System = "system";
    public const string Analysis = "analysis";

    /// <summary>A room was created from within this room (e.g. by the concierge): clients add it to their room list at once.</summary>
    public const string RoomCreated = "roomCreated";

    /// <summary>
    /// Not a client event: the bus tells a subscriber that its subscription was restored after a gap (events published
    /// meanwhile were lost), so it can catch up from the message log.
    /// </summary>
    public const string Resync = "resync";

    /// <summary>
    /// Not a client event: on the global channel, an account was banned, disabled or signed out everywhere; every socket
    /// server closes that account's connections (data: <see cref="AccountClosed"/>).
    /// </summary>
    public const string AccountClosed = "accountClosed";
}

/// <summary>
/// The data of <see cref="ChatEventTypes.AccountClosed"/>: whose connections to close, the refusal code and sentence the
/// client is shown, and the security stamp the account's tokens carried until now (a socket server refuses those tokens
/// from then on, though it cannot ask the accounts store).
/// </summary>
public sealed record AccountClosed(string UserId, string Code, string Reason, string? RevokedStamp);
