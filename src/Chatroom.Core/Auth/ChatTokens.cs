using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Chatroom.Core.Auth;

/// <summary>
/// The API's bearer tokens: standard JWTs (RFC 7519) signed with HS256 and the shared signing key, so every service
/// holding that key validates what the API issued, and any JWT library can read them.
/// </summary>
public sealed class ChatTokens
{
    /// <summary><c>iss</c> and <c>aud</c> of the tokens the API issues.</summary>
    public const string Issuer = "chatroom";

    public const string Audience = "chatroom";

    /// <summary>Clocks of the services that validate a token may differ a little from the API's.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly SymmetricSecurityKey _key;
    private readonly SigningCredentials _credentials;

    public ChatTokens(byte[] key)
    {
        if (key.Length < 32)
        {
            throw new ArgumentException("The signing key must be at least 32 bytes.", nameof(key));
        }

        _key = new SymmetricSecurityKey(key);
        _credentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256);
    }

    /// <summary>A JWT for <paramref name="identity"/>, valid until its <see cref="ChatIdentity.ExpiresAt"/>.</summary>
    public string Issue(ChatIdentity identity, DateTimeOffset? issuedAt = null) => Issue(identity, null, issuedAt);

    /// <summary>A JWT for <paramref name="identity"/> carrying <paramref name="extraClaims"/> too (an account's security stamp and session).</summary>
    public string Issue(ChatIdentity identity, IReadOnlyDictionary<string, object>? extraClaims, DateTimeOffset? issuedAt = null)
    {
        // nbf/iat may not follow exp (the handler refuses such a descriptor), which matters only for tokens issued already expired.
        var issued = issuedAt ?? DateTimeOffset.UtcNow;
        if (issued >= identity.ExpiresAt)
        {
            issued = identity.ExpiresAt.AddSeconds(-1);
        }

        var claims = new Dictionary<string, object>
        {
            [ChatClaims.Subject] = identity.UserId,
            [ChatClaims.Name] = identity.Name,
            [ChatClaims.Role] = identity.Role,
        };
        foreach (var (type, value) in extraClaims ?? new Dictionary<string, object>())
        {
            claims[type] = value;
        }

        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = issued.UtcDateTime,
            NotBefore = issued.UtcDateTime,
            Expires = identity.ExpiresAt.UtcDateTime,
            Claims = claims,
            SigningCredentials = _credentials,
        });
    }

    /// <summary>
    /// How a token of ours is checked, here and by JwtBearer on every service: HS256 only (so <c>alg: none</c> and
    /// algorithm swaps fail), our key, issuer and audience, and an expiry.
    /// </summary>
    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = _key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ClockSkew = ClockSkew,
        NameClaimType = ChatClaims.Name,
        RoleClaimType = ChatClaims.Role,
    };

    /// <summary>The identity of a correctly signed, unexpired token of ours; otherwise null.</summary>
    public async Task<ChatIdentity?> ValidateAsync(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var result = await _handler.ValidateTokenAsync(token, ValidationParameters());
        return result.IsValid ? ChatClaims.ToIdentity(result.ClaimsIdentity, result.SecurityToken.ValidTo) : null;
    }
}
