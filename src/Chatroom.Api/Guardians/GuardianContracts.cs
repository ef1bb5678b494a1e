namespace Chatroom.Api.Guardians;

/// <summary>The address of the parent or guardian a minor asks for consent.</summary>
public sealed record GuardianRequest(string? Email);

/// <summary>
/// <c>approve</c> or <c>decline</c>; on approval optionally who may send the minor a first private message
/// (<c>off</c>, <c>contacts</c>, <c>everyone</c>; left out: <c>contacts</c>, every minor's default).
/// </summary>
public sealed record ConsentDecisionRequest(string? Decision, string? DirectMessages);

/// <summary>Who may send the minor a first private message: <c>off</c>, <c>contacts</c> or <c>everyone</c>.</summary>
public sealed record RestrictionsRequest(string? DirectMessages);

/// <summary>An admin's correction of a date of birth, with the reason for the audit log.</summary>
public sealed record BirthDateCorrection(DateOnly? DateOfBirth, string? Reason);

/// <summary>The safety events that involve a minor, newest first.</summary>
public sealed record MinorSafetyEvents(string MinorUserId, IReadOnlyList<MinorSafetyEvent> Events);
