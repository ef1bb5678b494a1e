namespace Chatroom.Core.Rooms;

/// <summary>
/// Port: each room's own written rules (Markdown). Kept apart from <see cref="Room"/> and its store on purpose: the rules
/// are long and only moderation and people opening them read them, while every send reads the room.
/// </summary>
public interface IRoomRulesStore
{
    /// <summary>Longest rules text a room may have, in characters.</summary>
    const int MaxLength = 4_000;

    /// <summary>The room's rules, or null when it has none.</summary>
    Task<RoomRules?> GetAsync(string room, CancellationToken cancellationToken);

    /// <summary>Replaces the room's rules (the caller checked <see cref="MaxLength"/>; empty text is <see cref="ClearAsync"/>).</summary>
    Task SetAsync(RoomRules rules, CancellationToken cancellationToken);

    /// <summary>Removes the room's rules; false when it had none. Deleting the room removes them too.</summary>
    Task<bool> ClearAsync(string room, CancellationToken cancellationToken);
}

/// <summary>A room's written rules and who last changed them.</summary>
public sealed record RoomRules(string Room, string Text, string UpdatedBy, DateTimeOffset UpdatedAt);
