using Chatroom.Core.Messages;

namespace Chatroom.Api.Rooms;

/// <summary>A room to create; <see cref="Visibility"/> is <c>public</c> (default) or <c>private</c>.</summary>
public sealed record CreateRoom(string? Name, string? Topic, string? Visibility = null);

/// <summary>A room as listed: <see cref="Present"/> is how many users are in it now.</summary>
public sealed record RoomInfo(
    string Name, string? Topic, DateTimeOffset CreatedAt, int Present, int SlowModeSeconds, bool Locked, string Visibility = "public");

/// <summary>A members-only room's member as its members see them (<see cref="Name"/>: the display name, null without an account).</summary>
public sealed record MemberInfo(string UserId, string Role, DateTimeOffset Since, string? Name = null);

/// <summary>A page of history in ascending id order; <see cref="HasMore"/> says more lies beyond it.</summary>
public sealed record MessagePage(string Room, IReadOnlyList<ChatMessage> Messages, bool HasMore);
