namespace Chatroom.Api.Moderation;

/// <summary>An author's appeal: why the message should be shown again.</summary>
public sealed record AppealRequest(string? Reason);

/// <summary>
/// An appeal as its author sees it: <c>state</c> is <c>appealed</c> while it waits, then <c>restored</c> or <c>upheld</c>
/// with the moderator's reason as <c>outcome</c>.
/// </summary>
public sealed record AppealView(string Room, long MessageId, string State, string Reason, DateTimeOffset At, string? Outcome);

/// <summary>A moderator's decision on an appeal: <c>restore</c> or <c>uphold</c>, with a reason.</summary>
public sealed record AppealDecision(string? Decision, string? Reason);
