namespace Chatroom.Api.Guardians;

/// <summary>
/// Something safety-related that involved a minor, as their guardian sees it: never message text, only what happened,
/// where and why.
/// </summary>
/// <param name="Kind"><c>alert</c> (an automatic flag or case), or <c>decision</c> (what a moderator or admin did).</param>
/// <param name="Action">The stable name of what happened (the audit action, or a case's outcome).</param>
/// <param name="Source">Which <see cref="IGuardianEventSource"/> reported it (<c>moderation</c>, <c>guardian-cases</c>, …).</param>
public sealed record MinorSafetyEvent(DateTimeOffset At, string Kind, string Action, string? Room, string Summary, string Source);
