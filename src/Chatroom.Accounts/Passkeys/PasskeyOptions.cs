using System.ComponentModel.DataAnnotations;

namespace Chatroom.Accounts.Passkeys;

/// <summary><c>Chatroom:Auth:Passkeys</c>: who the relying party is and which web origins may use its passkeys.</summary>
public sealed class PasskeyOptions
{
    public const string Section = "Chatroom:Auth:Passkeys";

    /// <summary>The relying party id (a registrable domain such as <c>chat.example.com</c>); unset: the request's host.</summary>
    public string? ServerDomain { get; set; }

    /// <summary>
    /// Origins (<c>https://chat.example.com</c>) a passkey ceremony may come from; empty: only the origin of the request's
    /// own scheme and host, which is what the quick start on localhost needs.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>How long the browser has between the options and its answer (at most five minutes).</summary>
    public TimeSpan CeremonyLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest credential JSON accepted; a real one is a few kilobytes.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxCredentialJsonLength { get; set; } = 16 * 1024;
}
