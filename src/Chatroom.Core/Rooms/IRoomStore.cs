namespace Chatroom.Core.Rooms;

/// <summary>Port: rooms, their settings, bans and members (members matter for private and direct rooms).</summary>
public interface IRoomStore
{
    /// <summary>Creates the room; false when a room of that name exists already.</summary>
    Task<bool> TryCreateAsync(Room room, CancellationToken cancellationToken);

    Task<Room?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>All rooms ordered by name.</summary>
    Task<IReadOnlyList<Room>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Replaces slow mode and lock; false when the room does not exist.</summary>
    Task<bool> UpdateSettingsAsync(string name, int slowModeSeconds, bool locked, CancellationToken cancellationToken);

    /// <summary>Deletes the room and its messages; false when it did not exist.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);

    /// <summary>Bans a user from a room until <paramref name="until"/> (null: for good).</summary>
    Task BanAsync(string room, string userId, DateTimeOffset? until, CancellationToken cancellationToken);

    Task UnbanAsync(string room, string userId, CancellationToken cancellationToken);

    /// <summary>True while a ban of the user in the room is in force.</summary>
    Task<bool> IsBannedAsync(string room, string userId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Adds the member or replaces their role (keeping their read marker); false when the room does not exist. The
    /// member's rooms (<see cref="ListRoomsOfAsync"/>) follow.
    /// </summary>
    Task<bool> SetMemberAsync(string room, RoomMember member, CancellationToken cancellationToken);

    /// <summary>The member with their read marker, or null when the user is not a member of the room.</summary>
    Task<RoomMember?> GetMemberAsync(string room, string userId, CancellationToken cancellationToken);

    /// <summary>Removes the member and their read marker; false when they were not a member.</summary>
    Task<bool> RemoveMemberAsync(string room, string userId, CancellationToken cancellationToken);

    /// <summary>The room's members ordered by user id (empty for an unknown room).</summary>
    Task<IReadOnlyList<RoomMember>> ListMembersAsync(string room, CancellationToken cancellationToken);

    /// <summary>Names of the rooms the user is a member of (any role), ordered by name.</summary>
    Task<IReadOnlyList<string>> ListRoomsOfAsync(string userId, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the member's read marker forward to <paramref name="messageId"/> (never back); does nothing for someone who
    /// is not a member. Kept apart from sending so a send never writes it.
    /// </summary>
    Task MarkReadAsync(string room, string userId, long messageId, CancellationToken cancellationToken);
}
