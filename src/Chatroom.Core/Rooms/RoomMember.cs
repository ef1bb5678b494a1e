namespace Chatroom.Core.Rooms;

/// <summary>
/// A person's place in a members-only room: their <see cref="Role"/> (one of <see cref="MemberRoles"/>), since when they
/// hold it, and the last message id they have read (0: none), which the conversation list turns into an unread count.
/// </summary>
public sealed record RoomMember(string UserId, string Role, DateTimeOffset Since, long LastReadId = 0)
{
    /// <summary>Owners and members read and write; a pending recipient or one who declined does not.</summary>
    public bool CanRead => Role is MemberRoles.Owner or MemberRoles.Member;
}
