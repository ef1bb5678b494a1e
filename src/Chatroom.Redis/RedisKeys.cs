namespace Chatroom.Redis;

/// <summary>
/// Key and channel names. All keys of one room share the hash tag <c>{room:name}</c>, all keys of one
/// queue <c>{queue:name}</c>, and presence lives under <c>{presence}</c>, so each group sits in one
/// cluster slot and its Lua scripts stay atomic.
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    public string RoomIndex => $"{Prefix}:rooms";

    public string Room(string room) => $"{Prefix}:{{room:{room}}}:room";

    public string RoomSequence(string room) => $"{Prefix}:{{room:{room}}}:seq";

    public string RoomLog(string room) => $"{Prefix}:{{room:{room}}}:log";

    public string RoomHidden(string room) => $"{Prefix}:{{room:{room}}}:hidden";

    public string RoomBans(string room) => $"{Prefix}:{{room:{room}}}:bans";

    /// <summary>Hash of (author, client message id) → message id.</summary>
    public string RoomClientIds(string room) => $"{Prefix}:{{room:{room}}}:cids";

    /// <summary>Sorted set of the same pairs by time stored, to forget them after the de-duplication window.</summary>
    public string RoomClientIdTimes(string room) => $"{Prefix}:{{room:{room}}}:cids-t";

    public string RoomChannel(string room) => $"{Prefix}:{{room:{room}}}:bus";

    public string GlobalChannel => $"{Prefix}:{{global}}:bus";

    public string QueueStream(string queue) => $"{Prefix}:{{queue:{queue}}}:stream";

    public string QueueDeadLetters(string queue) => $"{Prefix}:{{queue:{queue}}}:dead";

    public string Presence => $"{Prefix}:{{presence}}";

    public string PresenceConnections => $"{Presence}:conns";

    public string PresenceUsers => $"{Presence}:users";

    public string PresenceRoom(string room) => $"{Presence}:room:{room}";

    public string[] RoomKeys(string room) =>
    [
        Room(room), RoomSequence(room), RoomLog(room), RoomHidden(room), RoomBans(room), RoomClientIds(room), RoomClientIdTimes(room),
    ];
}
