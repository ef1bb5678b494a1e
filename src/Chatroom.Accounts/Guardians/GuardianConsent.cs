namespace Chatroom.Accounts.Guardians;

/// <summary>
/// One consent link sent to a guardian: only the SHA-256 of its token is kept. Single use: deciding sets
/// <see cref="UsedAtUtc"/> with one conditional update; a newer request for the same minor supersedes it.
/// </summary>
public sealed class GuardianConsent
{
    /// <summary>What <see cref="Decision"/> says when a newer request replaced this link.</summary>
    public const string Superseded = "superseded";

    public string Id { get; set; } = string.Empty;

    public string MinorUserId { get; set; } = string.Empty;

    /// <summary>The address the minor named (as typed, validated).</summary>
    public string GuardianEmail { get; set; } = string.Empty;

    public string TokenHash { get; set; } = string.Empty;

    public DateTime CreatedAtUtc { get; set; }

    public DateTime ExpiresAtUtc { get; set; }

    public DateTime? UsedAtUtc { get; set; }

    /// <summary><c>approve</c>, <c>decline</c> or <see cref="Superseded"/> once used.</summary>
    public string? Decision { get; set; }

    /// <summary>The account that decided.</summary>
    public string? GuardianUserId { get; set; }
}
