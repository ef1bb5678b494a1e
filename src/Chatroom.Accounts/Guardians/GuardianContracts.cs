namespace Chatroom.Accounts.Guardians;

/// <summary>
/// A minor's own view of their guardian consent: whether one is needed, where it stands, and the last request's
/// address and expiry while it waits.
/// </summary>
public sealed record GuardianStatus(
    bool Required, string State, string? GuardianEmail, DateTimeOffset? RequestedAt, DateTimeOffset? ExpiresAt, string DirectMessages);

/// <summary>What a consent link shows the guardian before they decide.</summary>
public sealed record ConsentView(MinorSummary Minor, string GuardianEmail, DateTimeOffset ExpiresAt, AllowedChat Allowed, GuardianReadiness You);

public sealed record MinorSummary(string Id, string UserName, string DisplayName, int Age);

/// <summary>
/// What the account may do once approved: send in public rooms, receive first private messages per
/// <see cref="DirectMessages"/> (always as requests it accepts or declines), and what the guardian will see.
/// </summary>
public sealed record AllowedChat(bool PublicRooms, string DirectMessages, bool MessageRequests, string GuardianSees);

/// <summary>Whether the signed-in account may decide: an adult with a second factor enrolled.</summary>
public sealed record GuardianReadiness(bool Adult, bool SecondFactor);

/// <summary>The minor's state after the guardian decided.</summary>
public sealed record ConsentDecision(string MinorUserId, string State, string DirectMessages);

/// <summary>A minor as their guardian sees them on "My minors".</summary>
public sealed record GuardedMinor(
    string Id, string UserName, string DisplayName, int Age, string State, string DirectMessages, bool Disabled, DateTimeOffset? DecidedAt);
