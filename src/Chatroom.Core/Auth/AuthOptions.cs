using System.ComponentModel.DataAnnotations;

namespace Chatroom.Core.Auth;

/// <summary><c>Chatroom:Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Chatroom:Auth";

    public const string GuestsOn = "on";
    public const string GuestsReadOnly = "read-only";
    public const string GuestsOff = "off";

    /// <summary>Base64 of at least 32 random bytes, the same on every service.</summary>
    [Required(ErrorMessage = "Chatroom:Auth:SigningKey is required: base64 of at least 32 random bytes, the same for every service.")]
    public string? SigningKey { get; set; }

    /// <summary>
    /// Keys that signed tokens before <see cref="SigningKey"/> replaced them (same form): tokens they signed stay valid until
    /// they expire, so a key rotates without signing everyone out. New tokens are always signed with <see cref="SigningKey"/>.
    /// </summary>
    public IList<string> PreviousSigningKeys { get; } = [];

    /// <summary>
    /// An external OpenID Connect issuer (e.g. <c>https://login.example.com/realms/chat</c>) whose tokens are accepted
    /// beside the API's own; its signing keys come from its discovery document. Needs <see cref="Audience"/>.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>The audience (<c>aud</c>) the external issuer's tokens must carry.</summary>
    public string? Audience { get; set; }

    /// <summary>Whether the authority's discovery document must come over HTTPS; turn off only for a local issuer in development.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>How long issued tokens stay valid.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Whether people may chat without an account: <c>on</c> (the quick start's default), <c>read-only</c> (guests join
    /// and read; sending is refused with <c>guests_read_only</c>) or <c>off</c> (guest sign-in is refused with <c>guests_disabled</c>).
    /// </summary>
    [AllowedValues(GuestsOn, GuestsReadOnly, GuestsOff, ErrorMessage = "Chatroom:Auth:Guests must be on, read-only or off.")]
    public string Guests { get; set; } = GuestsOn;

    /// <summary>
    /// Whether moderators and admins need a second factor for their staff rights; unset means on, except in the
    /// Development environment. A staff account without one signs in as a plain user (so it can enrol one).
    /// </summary>
    public bool? StaffRequireTwoFactor { get; set; }

    public byte[] DecodeKey()
    {
        var key = Convert.FromBase64String(SigningKey ?? string.Empty);
        return key.Length >= 32
            ? key
            : throw new InvalidOperationException("Chatroom:Auth:SigningKey must decode to at least 32 bytes.");
    }

    /// <summary>The previous keys that are set; an empty entry (e.g. an optional Secret key left blank) is no key.</summary>
    public IEnumerable<byte[]> DecodePreviousKeys() =>
        PreviousSigningKeys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k =>
        {
            var key = Convert.FromBase64String(k);
            return key.Length >= 32
                ? key
                : throw new InvalidOperationException("Chatroom:Auth:PreviousSigningKeys must each decode to at least 32 bytes.");
        });
}
