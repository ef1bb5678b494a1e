namespace Chatroom.Api.Admin;

public sealed record ChatStats(int Rooms, long ConnectedUsers, long Messages);

public sealed record BroadcastRequest(string? Text);

/// <summary>The broadcast was stored in <see cref="Rooms"/> rooms.</summary>
public sealed record BroadcastResult(int Rooms);

/// <summary>The last <see cref="Minutes"/> minutes, one point per minute with analysed messages (oldest first).</summary>
public sealed record AdminTimeSeries(int Minutes, IReadOnlyList<Core.Moderation.MinuteCounts> Points);
