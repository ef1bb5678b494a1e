namespace Chatroom.Core.Rooms;

/// <summary>
/// A chat room. <see cref="SlowModeSeconds"/> 0 means off; <see cref="Visibility"/> is one of <see cref="RoomVisibility"/>'s
/// values (public unless said otherwise).
/// </summary>
public sealed record Room(
    string Name,
    string? Topic,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    int SlowModeSeconds = 0,
    bool Locked = false,
    string Visibility = RoomVisibility.Public)
{
    /// <summary>True when only members may read and write the room.</summary>
    public bool IsMembersOnly => RoomVisibility.IsMembersOnly(Visibility);
}
