namespace Chatroom.Core.Rooms;

/// <summary>The roles a <see cref="RoomMember"/> holds.</summary>
public static class MemberRoles
{
    /// <summary>Made the room (a private room's owner invites and removes; a direct room's owner is the one who opened it).</summary>
    public const string Owner = "owner";

    /// <summary>Invited into a private room, or accepted a direct conversation's request.</summary>
    public const string Member = "member";

    /// <summary>The recipient of a message request that has not been answered: sees the request, not the room.</summary>
    public const string Pending = "pending";

    /// <summary>The recipient declined the request; <see cref="RoomMember.Since"/> starts the time no new request may come.</summary>
    public const string Declined = "declined";

    public static bool IsKnown(string? role) => role is Owner or Member or Pending or Declined;
}
