using Chatroom.Core.Messages;
using Chatroom.Core.Presence;

namespace Chatroom.SocketServer.Hubs;

/// <summary>
/// What <c>JoinRoom</c> returns: the latest messages, the ones missed since <c>lastSeenId</c> (oldest first,
/// at most <c>MaxMissed</c>; <see cref="MissedTruncated"/> says to page the rest over REST) and who is present.
/// <see cref="Node"/> names the socket node serving this connection, for support and debugging.
/// </summary>
public sealed record JoinRoomResult(
    string Room,
    string? Topic,
    IReadOnlyList<ChatMessage> History,
    IReadOnlyList<ChatMessage> Missed,
    bool MissedTruncated,
    IReadOnlyList<PresentUser> Present,
    int SlowModeSeconds,
    bool Locked,
    string Node);

/// <summary>The acknowledgement of <c>SendMessage</c>: the message is stored under <see cref="Id"/>.</summary>
public sealed record SendMessageResult(string Room, long Id, DateTimeOffset SentAt, bool Duplicate);

/// <summary>The payload of <c>presence</c> events.</summary>
public sealed record PresenceEvent(string Room, PresentUser User, string Action, int Count);

/// <summary>The payload of <c>typing</c> events.</summary>
public sealed record TypingEvent(string Room, PresentUser User);

/// <summary>The payload of <c>system</c> events: a notice, for one room or (room null) everyone.</summary>
public sealed record SystemEvent(string? Room, string Text);
