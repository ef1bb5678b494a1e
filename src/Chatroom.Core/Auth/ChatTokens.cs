using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatroom.Core.Auth;

/// <summary>
/// Compact signed bearer tokens: <c>v1.&lt;payload&gt;.&lt;HMAC-SHA256&gt;</c>, base64url. Every service
/// holding the same signing key validates what the API issued.
/// </summary>
public sealed class ChatTokens
{
    private const string Prefix = "v1.";
    private const int MaxTokenLength = 2048;
    private readonly byte[] _key;

    public ChatTokens(byte[] key)
    {
        if (key.Length < 32)
        {
            throw new ArgumentException("The signing key must be at least 32 bytes.", nameof(key));
        }

        _key = key;
    }

    public string Issue(ChatIdentity identity)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(
            new TokenPayload(identity.UserId, identity.Name, identity.Role, identity.ExpiresAt.ToUnixTimeSeconds()),
            TokenJsonContext.Default.TokenPayload);
        var body = Prefix + Base64Url.EncodeToString(payload);
        var signature = HMACSHA256.HashData(_key, System.Text.Encoding.ASCII.GetBytes(body));
        return body + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The identity of a well-formed, correctly signed, unexpired token; otherwise null.</summary>
    public ChatIdentity? Validate(string? token, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var dot = token.LastIndexOf('.');
        if (dot <= Prefix.Length)
        {
            return null;
        }

        var body = token.AsSpan(0, dot);
        Span<byte> expected = stackalloc byte[32];
        Span<byte> bodyBytes = stackalloc byte[body.Length];
        System.Text.Encoding.ASCII.GetBytes(body, bodyBytes);
        HMACSHA256.HashData(_key, bodyBytes, expected);

        try
        {
            // TryDecodeFromChars throws (rather than returning false) on characters outside the alphabet.
            Span<byte> actual = stackalloc byte[64];
            if (!Base64Url.TryDecodeFromChars(token.AsSpan(dot + 1), actual, out var written) || written != 32 ||
                !CryptographicOperations.FixedTimeEquals(expected, actual[..written]))
            {
                return null;
            }

            var payloadBytes = Base64Url.DecodeFromChars(token.AsSpan(Prefix.Length, dot - Prefix.Length));
            var payload = JsonSerializer.Deserialize(payloadBytes, TokenJsonContext.Default.TokenPayload);
            if (payload is null || string.IsNullOrEmpty(payload.Sub) || string.IsNullOrEmpty(payload.Name))
            {
                return null;
            }

            var expires = DateTimeOffset.FromUnixTimeSeconds(payload.Exp);
            return expires <= now ? null : new ChatIdentity(payload.Sub, payload.Name, payload.Role ?? ChatRoles.Guest, expires);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}

internal sealed record TokenPayload(
    [property: JsonPropertyName("sub")] string Sub,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("role")] string? Role,
    [property: JsonPropertyName("exp")] long Exp);

[JsonSerializable(typeof(TokenPayload))]
internal sealed partial class TokenJsonContext : JsonSerializerContext;
