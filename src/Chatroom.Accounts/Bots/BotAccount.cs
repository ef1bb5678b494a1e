namespace Chatroom.Accounts.Bots;

/// <summary>
/// A bot account made by an admin: its scopes and rooms, and the SHA-256 of its token (the token itself is shown once and
/// never stored). <see cref="Stamp"/> goes into the bot's access tokens; rotating the token changes it, which voids them.
/// </summary>
public sealed class BotAccount
{
    /// <summary>What a bot's user id starts with, so no bot can pass for a person or a guest.</summary>
    public const string UserIdPrefix = "bot_";

    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    /// <summary>Space-separated scopes (read, post, events).</summary>
    public string Scopes { get; set; } = string.Empty;

    /// <summary>Space-separated room names the bot may use.</summary>
    public string Rooms { get; set; } = string.Empty;

    /// <summary>Hex SHA-256 of the bot's token: a 256-bit random secret needs no slow password hash.</summary>
    public string TokenHash { get; set; } = string.Empty;

    public string Stamp { get; set; } = string.Empty;

    public string CreatedBy { get; set; } = string.Empty;

    public DateTime CreatedAtUtc { get; set; }

    public DateTime RotatedAtUtc { get; set; }

    public string UserId => UserIdPrefix + Id;
}
