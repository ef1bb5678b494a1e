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
}
