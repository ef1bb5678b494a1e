namespace Chatroom.Api.Admin;

public sealed record ChatStats(int Rooms, long ConnectedUsers, long Messages);

public sealed record BroadcastRequest(string? Text);

/// <summary>The broadcast was stored in <see cref="Rooms"/> rooms.</summary>
public sealed record BroadcastResult(int Rooms);
