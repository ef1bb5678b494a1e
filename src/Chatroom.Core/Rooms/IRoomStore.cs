namespace Chatroom.Core.Rooms;

/// <summary>Port: rooms, their settings and bans.</summary>
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
}
