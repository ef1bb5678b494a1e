namespace Chatroom.Accounts;

/// <summary>An account's access token (JWT, minutes) and refresh token (spent on use), as sign-in and refresh return them.</summary>
public sealed record AccountTokens(string Token, DateTimeOffset ExpiresAt, string RefreshToken, DateTimeOffset RefreshExpiresAt, AccountUser User);

/// <summary>The public face of an account in token responses (same shape as a guest's).</summary>
public sealed record AccountUser(string Id, string Name, string Role);

/// <summary>The password was right and a second factor is needed: send <see cref="Ticket"/> and a code to /api/auth/login/2fa.</summary>
public sealed record TwoFactorChallenge(bool TwoFactorRequired, IReadOnlyList<string> Methods, string Ticket);

/// <summary>What the person sees about their account.</summary>
public sealed record AccountProfile(
    string Id, string UserName, string DisplayName, string Email, bool EmailConfirmed, DateOnly DateOfBirth,
    IReadOnlyList<string> Roles, bool TwoFactorEnabled, DateTimeOffset CreatedAt);

/// <summary>One signed-in session (a refresh token family).</summary>
public sealed record AccountSession(
    string Id, DateTimeOffset StartedAt, DateTimeOffset LastRefreshedAt, DateTimeOffset ExpiresAt, string? UserAgent, string? Address, bool Current);

/// <summary>A fresh authenticator key: the base32 secret and the otpauth URI a QR code carries.</summary>
public sealed record AuthenticatorEnrollment(string SharedKey, string AuthenticatorUri);

public sealed record TwoFactorStatus(bool Enabled, bool HasAuthenticator, int RecoveryCodesLeft);

public sealed record RecoveryCodes(IReadOnlyList<string> Codes);

/// <summary>Where a sign-in comes from, kept on its session.</summary>
public sealed record ClientInfo(string? Address, string? UserAgent, int LocalPort);
