namespace Chatroom.Core.GuardianCases;

/// <summary>An adult who may no longer open or send private conversations with minors, and why.</summary>
public sealed record ContactRestriction(string UserId, string Reason, string By, DateTimeOffset At, long? CaseId);
