using System.Text.Json;
using Chatroom.Core.Presence;

namespace Chatroom.Core.Contacts;

/// <summary>The data of <c>conversationRequest</c>: who wrote, where, and the start of their first message.</summary>
public sealed record ConversationRequest(string Room, PresentUser From, string Preview, DateTimeOffset SentAt);

/// <summary>The data of <c>roomInvite</c>: the private room, its topic and who invited.</summary>
public sealed record RoomInvite(string Room, string? Topic, PresentUser From);

/// <summary>The data of the bus-only <c>toUser</c> event: an event of <paramref name="Type"/> for one person's connections.</summary>
public sealed record UserEvent(string UserId, string Type, JsonElement Data);

/// <summary>The data of the bus-only <c>memberRemoved</c> event.</summary>
public sealed record MemberRemoved(string Room, string UserId);
