namespace Chatroom.Core.Rooms;

/// <summary>A chat room. <see cref="SlowModeSeconds"/> 0 means off.</summary>
public sealed record Room(
    string Name,
    string? Topic,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    int SlowModeSeconds = 0,
    bool Locked = false);
