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
    IReadOnlyList<string> Roles, bool TwoFactorEnabled, DateTimeOffset CreatedAt, string GuardianState, string DirectMessages);

/// <summary>One signed-in session (a refresh token family).</summary>
public sealed record AccountSession(
    string Id, DateTimeOffset StartedAt, DateTimeOffset LastRefreshedAt, DateTimeOffset ExpiresAt, string? UserAgent, string? Address, bool Current);

/// <summary>A fresh authenticator key: the base32 secret and the otpauth URI a QR code carries.</summary>
public sealed record AuthenticatorEnrollment(string SharedKey, string AuthenticatorUri);

public sealed record TwoFactorStatus(bool Enabled, bool HasAuthenticator, int RecoveryCodesLeft);

public sealed record RecoveryCodes(IReadOnlyList<string> Codes);

/// <summary>Where a sign-in comes from, kept on its session.</summary>
public sealed record ClientInfo(string? Address, string? UserAgent, int LocalPort);

/// <summary>
/// The start of a passkey ceremony: <see cref="Options"/> is the WebAuthn options JSON exactly as Identity's passkey
/// handler made it (for <c>navigator.credentials.create/get</c>), <see cref="State"/> an opaque key to send back with the answer.
/// </summary>
public sealed record PasskeyCeremonyOptions(System.Text.Json.JsonElement Options, string State);

/// <summary>A passkey just enrolled; <see cref="Id"/> is its credential id (base64url).</summary>
public sealed record NewPasskey(string Id, string Name, DateTimeOffset CreatedAt);

/// <summary>One of the account's passkeys, never its key material.</summary>
public sealed record AccountPasskey(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

/// <summary>A ban in force: until when (9999-12-31 for a permanent one) and the reason staff gave.</summary>
public sealed record AccountBan(DateTimeOffset Until, string? Reason);

/// <summary>An account as staff see it on the users page.</summary>
public sealed record AdminUser(
    string Id, string UserName, string DisplayName, string? Email, IReadOnlyList<string> Roles, bool TwoFactorEnabled, int Passkeys,
    AccountBan? Banned, bool Disabled, DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt);

/// <summary>One page of a users search and how many accounts match in all.</summary>
public sealed record AdminUserPage(IReadOnlyList<AdminUser> Users, int Total);

/// <summary>The account's roles after a change.</summary>
public sealed record AccountRoles(string Id, IReadOnlyList<string> Roles);

/// <summary>Everything the account holds about its person, as <c>GET /api/account/export</c> hands it out.</summary>
public sealed record AccountExport(
    DateTimeOffset ExportedAt, AccountProfile Profile, AccountBan? Banned, bool Disabled, IReadOnlyList<AccountPasskey> Passkeys,
    IReadOnlyList<AccountSession> Sessions, ExportedMessages Messages);

/// <summary>Whether the export holds the person's messages, and why not when it does not.</summary>
public sealed record ExportedMessages(bool Included, string Note);
