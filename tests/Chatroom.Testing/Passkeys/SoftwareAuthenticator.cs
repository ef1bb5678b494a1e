using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Chatroom.Testing.Passkeys;

/// <summary>
/// A WebAuthn authenticator in software, as a browser and a platform authenticator together would answer: an ES256 key
/// (ECDSA P-256), attestation format "none" written in CBOR by hand, user presence and verification always given. Its
/// answers are <c>PublicKeyCredential.toJSON()</c> objects, ready to post.
/// </summary>
public sealed class SoftwareAuthenticator(string origin) : IDisposable
{
    private const byte UserPresent = 0x01;
    private const byte UserVerified = 0x04;
    private const byte AttestedCredentialData = 0x40;

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The web origin the browser would put in the client data.</summary>
    public string Origin { get; } = origin;

    public byte[] CredentialId { get; } = RandomNumberGenerator.GetBytes(16);

    /// <summary>The credential id as the server names it (base64url).</summary>
    public string Id => Base64Url.EncodeToString(CredentialId);

    /// <summary>The counter of the last assertion (signatures so far).</summary>
    public uint SignCount { get; private set; }

    /// <summary>The user handle the server gave at creation (base64url), sent back with every assertion.</summary>
    public string? UserHandle { get; private set; }

    /// <summary>Answers <c>navigator.credentials.create</c> for the server's creation options.</summary>
    public JsonObject Create(JsonNode options, string? origin = null)
    {
        var rpId = options["rp"]!["id"]!.GetValue<string>();
        UserHandle = options["user"]!["id"]!.GetValue<string>();
        var clientData = ClientData("webauthn.create", options["challenge"]!.GetValue<string>(), origin ?? Origin);

        var parameters = _key.ExportParameters(false);
        var publicKey = Cbor.Map(5)
            .Concat(Cbor.Int(1)).Concat(Cbor.Int(2)) // kty: EC2
            .Concat(Cbor.Int(3)).Concat(Cbor.Int(-7)) // alg: ES256
            .Concat(Cbor.Int(-1)).Concat(Cbor.Int(1)) // crv: P-256
            .Concat(Cbor.Int(-2)).Concat(Cbor.Bytes(parameters.Q.X!))
            .Concat(Cbor.Int(-3)).Concat(Cbor.Bytes(parameters.Q.Y!));
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)CredentialId.Length);
        var authenticatorData = AuthenticatorData(rpId, UserPresent | UserVerified | AttestedCredentialData, 0)
            .Concat(new byte[16]) // AAGUID: none
            .Concat(length).Concat(CredentialId).Concat(publicKey).ToArray();
        var attestationObject = Cbor.Map(3)
            .Concat(Cbor.Text("fmt")).Concat(Cbor.Text("none"))
            .Concat(Cbor.Text("attStmt")).Concat(Cbor.Map(0))
            .Concat(Cbor.Text("authData")).Concat(Cbor.Bytes(authenticatorData)).ToArray();

        return Credential(new JsonObject
        {
            ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
            ["attestationObject"] = Base64Url.EncodeToString(attestationObject),
            ["transports"] = new JsonArray("internal"),
        });
    }

    /// <summary>
    /// Answers <c>navigator.credentials.get</c> for the server's request options, counting the signature; a
    /// <paramref name="signCount"/> replays an older counter (a cloned authenticator).
    /// </summary>
    public JsonObject Get(JsonNode options, string? origin = null, uint? signCount = null)
    {
        var rpId = options["rpId"]!.GetValue<string>();
        var clientData = ClientData("webauthn.get", options["challenge"]!.GetValue<string>(), origin ?? Origin);
        SignCount = signCount ?? SignCount + 1;
        var authenticatorData = AuthenticatorData(rpId, UserPresent | UserVerified, SignCount).ToArray();
        var signature = _key.SignData([.. authenticatorData, .. SHA256.HashData(clientData)], HashAlgorithmName.SHA256,
            DSASignatureFormat.Rfc3279DerSequence);

        return Credential(new JsonObject
        {
            ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
            ["authenticatorData"] = Base64Url.EncodeToString(authenticatorData),
            ["signature"] = Base64Url.EncodeToString(signature),
            ["userHandle"] = UserHandle,
        });
    }

    public void Dispose() => _key.Dispose();

    private JsonObject Credential(JsonObject response) => new()
    {
        ["id"] = Id,
        ["rawId"] = Id,
        ["type"] = "public-key",
        ["response"] = response,
        ["clientExtensionResults"] = new JsonObject(),
        ["authenticatorAttachment"] = "platform",
    };

    private static byte[] ClientData(string type, string challenge, string origin) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["type"] = type,
        ["challenge"] = challenge,
        ["origin"] = origin,
        ["crossOrigin"] = false,
    }));

    private static IEnumerable<byte> AuthenticatorData(string rpId, int flags, uint signCount)
    {
        var counter = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(counter, signCount);
        return SHA256.HashData(Encoding.UTF8.GetBytes(rpId)).Append((byte)flags).Concat(counter);
    }

    /// <summary>The few CBOR items an attestation needs (RFC 8949: major type in the top three bits, then the length).</summary>
    private static class Cbor
    {
        public static byte[] Int(int value) => value >= 0 ? Head(0, (ulong)value) : Head(1, (ulong)(-1 - value));

        public static byte[] Bytes(byte[] value) => [.. Head(2, (ulong)value.Length), .. value];

        public static byte[] Text(string value) => [.. Head(3, (ulong)Encoding.UTF8.GetByteCount(value)), .. Encoding.UTF8.GetBytes(value)];

        public static byte[] Map(int pairs) => Head(5, (ulong)pairs);

        private static byte[] Head(int major, ulong length) => length switch
        {
            < 24 => [(byte)((major << 5) | (int)length)],
            <= byte.MaxValue => [(byte)((major << 5) | 24), (byte)length],
            _ => [(byte)((major << 5) | 25), (byte)(length >> 8), (byte)length],
        };
    }
}
