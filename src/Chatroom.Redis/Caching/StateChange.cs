namespace Chatroom.Redis.Caching;

/// <summary>The data of a <c>stateChanged</c> event: what changed (<see cref="Scope"/>), in which room, for whom.</summary>
internal sealed record StateChange(string Scope, string? Room, string? UserId)
{
    /// <summary>The room's hash (created, settings, deleted): its bans and mutes are dropped with it.</summary>
    public const string RoomScope = "room";

    public const string BanScope = "ban";

    public const string MuteScope = "mute";

    public const string TopicWatchesScope = "topicWatches";
}
