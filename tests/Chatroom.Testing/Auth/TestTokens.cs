using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Chatroom.Core.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Chatroom.Testing.Auth;

/// <summary>JWTs a client should not be able to use: expired, signed with another key, for another audience, unsigned.</summary>
public static class TestTokens
{
    private static readonly JsonWebTokenHandler Handler = new();

    /// <summary>A token signed with <paramref name="key"/>, with every field overridable, as an attacker or a misconfigured peer would make it.</summary>
    public static string Create(
        byte[] key,
        string subject = "u_test",
        string name = "tester",
        string role = ChatRoles.Admin,
        string issuer = ChatTokens.Issuer,
        string audience = ChatTokens.Audience,
        DateTimeOffset? expires = null)
    {
        var expiry = expires ?? DateTimeOffset.UtcNow.AddHours(1);
        var issued = expiry < DateTimeOffset.UtcNow ? expiry.AddHours(-1) : DateTimeOffset.UtcNow;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issued.UtcDateTime,
            NotBefore = issued.UtcDateTime,
            Expires = expiry.UtcDateTime,
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["name"] = name, ["role"] = role },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>An admin token with <c>alg: none</c> and an empty signature (RFC 7519 §6, "unsecured JWT").</summary>
    public static string Unsigned(string role = ChatRoles.Admin)
    {
        var header = Base64Url.EncodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"u8);
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["sub"] = "u_none", ["name"] = "none", ["role"] = role, ["iss"] = ChatTokens.Issuer, ["aud"] = ChatTokens.Audience,
            ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
        }));
        return $"{header}.{payload}.";
    }

    /// <summary>A valid token's payload with the role changed to admin, under the original signature.</summary>
    public static string Tampered(string token)
    {
        var parts = token.Split('.');
        var claims = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64Url.DecodeFromChars(parts[1]))!;
        var forged = claims.ToDictionary(c => c.Key, c => (object)c.Value);
        forged["role"] = ChatRoles.Admin;
        return $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(forged)))}.{parts[2]}";
    }
}
