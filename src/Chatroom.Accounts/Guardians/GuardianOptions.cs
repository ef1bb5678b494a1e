using System.ComponentModel.DataAnnotations;

namespace Chatroom.Accounts.Guardians;

/// <summary><c>Chatroom:Safety</c>: who needs a guardian's consent, and the consent links.</summary>
public sealed class GuardianOptions
{
    public const string Section = "Chatroom:Safety";

    /// <summary>Accounts younger than this wait for a guardian's consent before they may send (13–18; 16 as the GDPR's default age of digital consent).</summary>
    [Range(13, 18, ErrorMessage = "Chatroom:Safety:GuardianConsentAge must be 13-18.")]
    public int GuardianConsentAge { get; set; } = 16;

    /// <summary>How long a consent link works.</summary>
    public TimeSpan ConsentLinkLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Consent emails one minor may have sent per 24 hours (each to a guardian's address someone typed).</summary>
    [Range(1, 100, ErrorMessage = "Chatroom:Safety:ConsentRequestsPerDay must be 1-100.")]
    public int ConsentRequestsPerDay { get; set; } = 3;
}
