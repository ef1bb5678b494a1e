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

    /// <summary>Hash of member user id → <c>role|since-ms</c>.</summary>
    public string RoomMembers(string room) => $"{Prefix}:{{room:{room}}}:members";

    /// <summary>Hash of member user id → the last message id they read.</summary>
    public string RoomReadMarkers(string room) => $"{Prefix}:{{room:{room}}}:read";

    /// <summary>Set of the names of the rooms a user is a member of (its own hash tag: a user's rooms span slots).</summary>
    public string MemberRooms(string userId) => $"{Prefix}:{{member:{userId}}}:rooms";

    /// <summary>Hash of the user ids a user blocks → when (ms).</summary>
    public string Blocks(string userId) => $"{Prefix}:{{blocks:{userId}}}";

    /// <summary>Hash of (author, client message id) → message id.</summary>
    public string RoomClientIds(string room) => $"{Prefix}:{{room:{room}}}:cids";

    /// <summary>Sorted set of the same pairs by time stored, to forget them after the de-duplication window.</summary>
    public string RoomClientIdTimes(string room) => $"{Prefix}:{{room:{room}}}:cids-t";

    /// <summary>Hash of the room's written rules (text, updatedBy, updatedAt): apart from the room hash every send reads.</summary>
    public string RoomRules(string room) => $"{Prefix}:{{room:{room}}}:rules";

    public string RoomChannel(string room) => $"{Prefix}:{{room:{room}}}:bus";

    public string GlobalChannel => $"{Prefix}:{{global}}:bus";

    public string QueueStream(string queue) => $"{Prefix}:{{queue:{queue}}}:stream";

    public string QueueDeadLetters(string queue) => $"{Prefix}:{{queue:{queue}}}:dead";

    public string Presence => $"{Prefix}:{{presence}}";

    public string PresenceConnections => $"{Presence}:conns";

    public string PresenceUsers => $"{Presence}:users";

    public string PresenceRoom(string room) => $"{Presence}:room:{room}";

    /// <summary>Hash of message id → verdict JSON.</summary>
    public string RoomVerdicts(string room) => $"{Prefix}:{{room:{room}}}:verdicts";

    /// <summary>Hash of the room's all-time verdict counters.</summary>
    public string RoomVerdictCounts(string room) => $"{Prefix}:{{room:{room}}}:verdicts:all";

    /// <summary>Hash of the room's verdict counters in one minute (Unix minute), expiring after the longest window.</summary>
    public string RoomVerdictMinute(string room, long minute) => $"{Prefix}:{{room:{room}}}:verdicts:m:{minute}";

    /// <summary>A user's mute in a room: the end time in ms, expiring then.</summary>
    public string RoomMute(string room, string userId) => $"{Prefix}:{{room:{room}}}:mute:{userId}";

    /// <summary>Tag of the moderation keys that span rooms (the minute series and the review queue).</summary>
    public string Moderation => $"{Prefix}:{{moderation}}";

    public string ModerationMinutes => $"{Moderation}:minutes";

    public string ModerationMinutePrefix => $"{Moderation}:minute:";

    public string ModerationMinute(long minute) => $"{ModerationMinutePrefix}{minute}";

    /// <summary>Sorted set of the latest verdicts across rooms (score = verdict time in ms, member = the verdict's JSON), capped.</summary>
    public string RecentVerdicts => $"{Moderation}:verdicts:recent";

    public string FlagSequence => $"{Moderation}:flags:seq";

    /// <summary>Sorted set of flag ids (score = id).</summary>
    public string FlagIndex => $"{Moderation}:flags";

    /// <summary>Hash of room + message id → flag id, so a message is flagged once.</summary>
    public string FlagByMessage => $"{Moderation}:flags:by-message";

    /// <summary>Prefix of the per-flag hashes (<c>…:flag:&lt;id&gt;</c>).</summary>
    public string FlagPrefix => $"{Moderation}:flag:";

    public string AuditSequence => $"{Prefix}:{{audit}}:seq";

    /// <summary>Stream of audit entries with ids <c>&lt;n&gt;-0</c>.</summary>
    public string AuditLog => $"{Prefix}:{{audit}}:log";

    /// <summary>Hash of agent name → definition JSON.</summary>
    public string Agents => $"{Prefix}:{{agents}}";

    /// <summary>Hash of room + topic → topic watch JSON.</summary>
    public string TopicWatches => $"{Agents}:watches";

    public string TopicWatchSequence => $"{Agents}:watches:seq";

    public string Discussions => $"{Agents}:discussions";

    /// <summary>Hash of user id → participant profile JSON (projected from accounts).</summary>
    public string Participants => $"{Prefix}:{{participants}}";

    /// <summary>Tag of the guardian review queue's keys.</summary>
    public string Guardian => $"{Prefix}:{{guardian}}";

    /// <summary>Hash of case id → case JSON.</summary>
    public string GuardianCases => $"{Guardian}:cases";

    public string GuardianCaseSequence => $"{Guardian}:cases:seq";

    /// <summary>Hash of window key → case id, so a window opens one case.</summary>
    public string GuardianCaseWindows => $"{Guardian}:cases:windows";

    /// <summary>Hash of user id → contact restriction JSON.</summary>
    public string ContactRestrictions => $"{Guardian}:restrictions";

    /// <summary>String: the guardian agent's admin-set settings as JSON.</summary>
    public string GuardianSettings => $"{Guardian}:settings";

    public string[] RoomKeys(string room) =>
    [
        Room(room), RoomSequence(room), RoomLog(room), RoomHidden(room), RoomBans(room), RoomClientIds(room), RoomClientIdTimes(room),
        RoomMembers(room), RoomReadMarkers(room), RoomRules(room),
    ];
}
