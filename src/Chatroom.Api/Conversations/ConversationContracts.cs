namespace Chatroom.Api.Conversations;

/// <summary>A report of a message (<see cref="MessageId"/>) or a person (<see cref="UserId"/>) in a room, with the reason.</summary>
public sealed record ReportRequest(string? Room, long? MessageId, string? UserId, string? Reason);

/// <summary>The report's place in the review queue.</summary>
public sealed record ReportFiled(long Id, string Room, long MessageId);

/// <summary>The people the caller blocks: their ids, and the same people with display names (null: no account any more).</summary>
public sealed record BlockList(IReadOnlyList<string> Blocked, IReadOnlyList<PersonName> People);

/// <summary>A person as lists show them.</summary>
public sealed record PersonName(string Id, string? Name);

/// <summary><c>{userName}</c>: whom to invite into a private room, by the name they sign in with.</summary>
public sealed record InviteByName(string? UserName);
