using System.ComponentModel.DataAnnotations;

namespace Chatroom.Core.Auth;

/// <summary><c>Chatroom:Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Chatroom:Auth";

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
