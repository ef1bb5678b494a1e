using Chatroom.Core.Auth;
using Chatroom.Core.Chat;
using Chatroom.Core.Errors;

namespace Chatroom.Core.Rooms;

/// <summary>
/// Who may read a room, in one place: anyone a public room, only its reading members (owner, member) a private or direct
/// one — admins included; moderators see private content only through a report. Every reader (hub join, history, MCP,
/// agents' tools, search) asks here, and a refusal is the same <c>unknown_room</c> a made-up name gets, so nobody learns
/// that a private room exists. Public rooms cost nothing extra: the room is read anyway, and only members-only rooms look
/// up the member.
/// </summary>
public sealed class RoomAccess(ChatService chat, IRoomStore rooms)
{
    /// <summary>The room when <paramref name="reader"/> may read it, otherwise the <c>unknown_room</c> refusal.</summary>
    public async Task<Room> GetReadableAsync(string room, ChatIdentity reader, CancellationToken cancellationToken)
    {
        var found = await chat.GetRoomAsync(room, cancellationToken);
        return await MayReadAsync(found, reader.UserId, cancellationToken) ? found : throw ChatService.UnknownRoom(room);
    }

    /// <summary>True for a public room, or a members-only room the user reads as owner or member.</summary>
    public async Task<bool> MayReadAsync(Room room, string userId, CancellationToken cancellationToken) =>
        !room.IsMembersOnly || await rooms.GetMemberAsync(room.Name, userId, cancellationToken) is { CanRead: true };

    /// <summary>Of <paramref name="all"/>, the rooms the user may see listed: public ones and their own members-only ones.</summary>
    public async Task<IReadOnlyList<Room>> VisibleAsync(IReadOnlyList<Room> all, string userId, CancellationToken cancellationToken)
    {
        if (!all.Any(r => r.IsMembersOnly))
        {
            return all;
        }

        var mine = (await rooms.ListRoomsOfAsync(userId, cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var visible = new List<Room>(all.Count);
        foreach (var room in all)
        {
            if (!room.IsMembersOnly || (mine.Contains(room.Name) && await MayReadAsync(room, userId, cancellationToken)))
            {
                visible.Add(room);
            }
        }

        return visible;
    }
}
