namespace Chatroom.Accounts.Passkeys;

/// <summary>
/// One passkey ceremony between its options and its answer: the handler's state (the challenge) stays here and the
/// browser holds only a random key to it, so there is nothing to tamper with, every API replica sharing the accounts
/// database can finish it, and claiming it with one conditional update makes it single use.
/// </summary>
public sealed class PasskeyCeremony
{
    public const string Create = "create";
    public const string Get = "get";

    /// <summary>Hex SHA-256 of the key the browser holds (the <c>state</c> of the routes); the key itself is never stored.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary><see cref="Create"/> (enrolment) or <see cref="Get"/> (sign-in).</summary>
    public string Kind { get; set; } = string.Empty;

    /// <summary>Enrolment: the account enrolling. Sign-in: the account named in the options request, or null for any.</summary>
    public string? UserId { get; set; }

    /// <summary>The state <c>IPasskeyHandler</c> made with the options (JSON holding the challenge).</summary>
    public string State { get; set; } = string.Empty;

    public DateTime CreatedAtUtc { get; set; }

    public DateTime ExpiresAtUtc { get; set; }

    /// <summary>Set by the one request that finished (or tried to finish) the ceremony.</summary>
    public DateTime? ConsumedAtUtc { get; set; }
}
