using System.ComponentModel.DataAnnotations;

namespace Chatroom.Accounts;

/// <summary><c>Chatroom:Accounts</c>.</summary>
public sealed class AccountsOptions
{
    public const string Section = "Chatroom:Accounts";

    /// <summary>
    /// The web app's origin for links in emails (e.g. <c>https://chat.example.com</c>). When empty, links point at
    /// <c>http://localhost:&lt;port the request came in on&gt;</c> — never at the request's Host header, which a caller controls.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>Whether sign-in waits for the email address to be confirmed.</summary>
    public bool RequireConfirmedEmail { get; set; } = true;

    /// <summary>How long an access token (JWT) of an account is valid; refresh tokens renew it.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a refresh token is valid; each refresh issues a new one with a fresh lifetime.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long email confirmation and password reset links work.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long the second-factor step may take after the password was right.</summary>
    public TimeSpan TwoFactorTicketLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Wrong passwords or codes in a row before the account is locked.</summary>
    [Range(1, 1000)]
    public int MaxFailedSignIns { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Sign-in attempts per account name per minute, from any address (the per-address limit is <c>Chatroom:Api:SignInsPerMinute</c>).</summary>
    [Range(1, 100_000)]
    public int SignInsPerAccountPerMinute { get; set; } = 10;

    /// <summary>Sign-ups per client address per hour.</summary>
    [Range(1, 100_000)]
    public int SignUpsPerAddressPerHour { get; set; } = 20;

    [Range(8, 128)]
    public int MinPasswordLength { get; set; } = 10;

    /// <summary>Longer passwords are refused before hashing (<c>password_too_long</c>).</summary>
    [Range(8, 1024)]
    public int MaxPasswordLength { get; set; } = 128;

    /// <summary>Issuer shown in authenticator apps.</summary>
    public string TotpIssuer { get; set; } = "Chatroom";
}
