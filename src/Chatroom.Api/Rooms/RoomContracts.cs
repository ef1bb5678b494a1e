using Chatroom.Core.Messages;

namespace Chatroom.Api.Rooms;

public sealed record CreateRoom(string? Name, string? Topic);

/// <summary>A room as listed: <see cref="Present"/> is how many users are in it now.</summary>
public sealed record RoomInfo(string Name, string? Topic, DateTimeOffset CreatedAt, int Present, int SlowModeSeconds, bool Locked);

/// <summary>A page of history in ascending id order; <see cref="HasMore"/> says more lies beyond it.</summary>
public sealed record MessagePage(string Room, IReadOnlyList<ChatMessage> Messages, bool HasMore);
