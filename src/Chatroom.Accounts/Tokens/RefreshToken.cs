namespace Chatroom.Accounts.Tokens;

/// <summary>
/// One refresh token, stored as the SHA-256 of its value. Each sign-in starts a family (a session); each refresh spends
/// the token and adds the next one to the family, so a spent token coming back means it was copied.
/// </summary>
public sealed class RefreshToken
{
    public string Id { get; set; } = string.Empty;

    public string UserId { get; set; } = string.Empty;

    /// <summary>The session: a random id shared by every token rotated from the sign-in's first.</summary>
    public string FamilyId { get; set; } = string.Empty;

    /// <summary>Hex SHA-256 of the token the client holds; the token itself is never stored.</summary>
    public string TokenHash { get; set; } = string.Empty;

    public DateTime CreatedAtUtc { get; set; }

    public DateTime ExpiresAtUtc { get; set; }

    /// <summary>Spent (rotated) or revoked; null while the token may be used.</summary>
    public DateTime? RevokedAtUtc { get; set; }

    /// <summary>When the session started (the family's first sign-in).</summary>
    public DateTime SessionStartedAtUtc { get; set; }

    public string? UserAgent { get; set; }

    public string? Address { get; set; }

    /// <summary>
    /// The session began with two factors in one step (a passkey with user verification), so a staff account keeps its
    /// staff role on refresh without an authenticator app.
    /// </summary>
    public bool SecondFactor { get; set; }
}
