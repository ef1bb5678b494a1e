using Microsoft.AspNetCore.Identity;

namespace Chatroom.Accounts;

/// <summary>A registered person: Identity's user plus what chat needs (display name, age, moderation state).</summary>
public class ChatUser : IdentityUser
{
    public string DisplayName { get; set; } = string.Empty;

    public DateOnly DateOfBirth { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    /// <summary>Set by staff; a disabled account cannot sign in and its tokens stop working.</summary>
    public DateTime? DisabledAtUtc { get; set; }

    /// <summary>While in the future, sign-in is refused with <c>account_banned</c>.</summary>
    public DateTime? BannedUntilUtc { get; set; }

    /// <summary>Why staff banned the account (shown to staff beside the ban; the audit log keeps every reason).</summary>
    public string? BanReason { get; set; }

    /// <summary>
    /// The last TOTP time step accepted for this account. Identity accepts a code for its whole window and any
    /// number of times; a code (or an older one) is refused once a step at or after it was used.
    /// </summary>
    public long? LastTotpTimeStep { get; set; }

    /// <summary>
    /// Where a minor's guardian consent stands (<c>none</c> for accounts that need none, <c>pending</c>, <c>approved</c>,
    /// <c>declined</c>, <c>revoked</c>; <see cref="Core.Contacts.GuardianStates"/>).
    /// </summary>
    public string GuardianState { get; set; } = Core.Contacts.GuardianStates.None;

    /// <summary>The guardian's account once one approved (kept after a revocation, so it still lists the minor).</summary>
    public string? GuardianUserId { get; set; }

    /// <summary>When the guardian approved, declined or revoked.</summary>
    public DateTime? GuardianDecidedAtUtc { get; set; }

    /// <summary>Who may send this account a first private message (<see cref="Core.Contacts.DirectMessagePolicies"/>); a guardian sets a minor's.</summary>
    public string DirectMessages { get; set; } = Core.Contacts.DirectMessagePolicies.Everyone;
}
