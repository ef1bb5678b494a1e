namespace Chatroom.Api.Conversations;

/// <summary>A report of a message (<see cref="MessageId"/>) or a person (<see cref="UserId"/>) in a room, with the reason.</summary>
public sealed record ReportRequest(string? Room, long? MessageId, string? UserId, string? Reason);

/// <summary>The report's place in the review queue.</summary>
public sealed record ReportFiled(long Id, string Room, long MessageId);

/// <summary>The people the caller blocks.</summary>
public sealed record BlockList(IReadOnlyList<string> Blocked);
