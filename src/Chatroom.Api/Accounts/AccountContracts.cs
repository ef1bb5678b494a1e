namespace Chatroom.Api.Accounts;

public sealed record RegisterRequest(string? UserName, string? DisplayName, string? Email, string? Password, DateOnly? DateOfBirth);

public sealed record ConfirmEmailRequest(string? UserId, string? Token);

/// <summary><c>login</c> is the user name or the email address.</summary>
public sealed record LoginRequest(string? Login, string? Password);

/// <summary>The ticket from the password step and either a TOTP <c>code</c> or a <c>recoveryCode</c>.</summary>
public sealed record SecondFactorRequest(string? Ticket, string? Code, string? RecoveryCode);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record LogoutRequest(bool Everywhere);

public sealed record ForgotPasswordRequest(string? Email);

public sealed record ResetPasswordRequest(string? UserId, string? Token, string? Password);

public sealed record UpdateAccountRequest(string? DisplayName, DateOnly? DateOfBirth);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record PasswordConfirmation(string? Password);

public sealed record TwoFactorCode(string? Code);

/// <summary>The answer to sign-up and forgot-password, the same whether or not an account has that address.</summary>
public sealed record Accepted(string Message);

/// <summary>An account-wide ban: until when (left out: permanently) and why (for the audit log).</summary>
public sealed record BanAccountRequest(DateTimeOffset? Until, string? Reason);

public sealed record AccountBanResult(string UserId, DateTimeOffset BannedUntil);

/// <summary>Why staff disabled or enabled an account (for the audit log).</summary>
public sealed record StaffReason(string? Reason);

/// <summary>The browser's <c>PublicKeyCredential.toJSON()</c> for a new passkey, the <c>state</c> from the options, and a name for it.</summary>
public sealed record PasskeyEnrollRequest(System.Text.Json.JsonElement? Credential, string? State, string? Name);

public sealed record PasskeyRenameRequest(string? Name);

/// <summary>Optionally the user name whose passkey alone may answer.</summary>
public sealed record PasskeyOptionsRequest(string? UserName);

/// <summary>The browser's <c>PublicKeyCredential.toJSON()</c> of an assertion and the <c>state</c> from the options.</summary>
public sealed record PasskeyLoginRequest(System.Text.Json.JsonElement? Credential, string? State);

/// <summary>The account's roles from now on (<c>user</c>, <c>moderator</c>, <c>admin</c>); <c>user</c> is always kept.</summary>
public sealed record SetRolesRequest(IReadOnlyList<string>? Roles);
