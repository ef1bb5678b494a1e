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

    /// <summary>Someone new wrote to the recipient (data: <c>ConversationRequest</c>); it waits until they accept or decline.</summary>
    public const string ConversationRequest = "conversationRequest";

    /// <summary>A private room's owner invited the recipient (data: <c>RoomInvite</c>).</summary>
    public const string RoomInvite = "roomInvite";

    /// <summary>
    /// Not a client event: on the global channel, an event for one person's connections wherever they are (data:
    /// <c>UserEvent</c>); socket servers deliver its inner event to that user only.
    /// </summary>
    public const string ToUser = "toUser";

    /// <summary>
    /// Not a client event: on the global channel, someone lost their membership of a members-only room (data:
    /// <c>MemberRemoved</c>); every socket server drops that room from the person's connections at once.
    /// </summary>
    public const string MemberRemoved = "memberRemoved";

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

    /// <summary>
    /// Not a client event: on the global channel, a backend's shared state (a room's settings, a ban, a mute, the topic
    /// watches) changed; nodes that keep it in memory drop their copy (the Redis backend's node cache).
    /// </summary>
    public const string StateChanged = "stateChanged";
}

/// <summary>
/// The data of <see cref="ChatEventTypes.AccountClosed"/>: whose connections to close, the refusal code and sentence the
/// client is shown, and the security stamp the account's tokens carried until now (a socket server refuses those tokens
/// from then on, though it cannot ask the accounts store).
/// </summary>
public sealed record AccountClosed(string UserId, string Code, string Reason, string? RevokedStamp);
