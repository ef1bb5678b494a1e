namespace Chatroom.Core.Rooms;

/// <summary>
/// Who may read a room: anyone (<see cref="Public"/>), its members invited by the owner (<see cref="Private"/>), or the
/// two people of a direct conversation (<see cref="Direct"/>). Rooms made before visibility existed are public.
/// </summary>
public static class RoomVisibility
{
    public const string Public = "public";
    public const string Private = "private";
    public const string Direct = "direct";

    public static bool IsKnown(string? visibility) => visibility is Public or Private or Direct;

    /// <summary>True for rooms only their members may read (private and direct).</summary>
    public static bool IsMembersOnly(string visibility) => visibility is not Public;
}
