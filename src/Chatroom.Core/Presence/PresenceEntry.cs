namespace Chatroom.Core.Presence;

/// <summary>One connection of a user, held by a socket node.</summary>
public sealed record PresenceEntry(string ConnectionId, string UserId, string UserName, string Node);

/// <summary>A user present in a room (however many connections they have).</summary>
public sealed record PresentUser(string Id, string Name);

/// <summary>A user who left a room because their node stopped heartbeating.</summary>
public sealed record PresenceDeparture(string Room, PresentUser User);
