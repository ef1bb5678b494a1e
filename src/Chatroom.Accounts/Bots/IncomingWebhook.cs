namespace Chatroom.Accounts.Bots;

/// <summary>
/// An incoming webhook URL (<c>/hooks/{Id}/{secret}</c>) that posts into one room. Only the SHA-256 of the secret is
/// stored; the URL is shown once.
/// </summary>
public sealed class IncomingWebhook
{
    /// <summary>What an incoming webhook's author id starts with.</summary>
    public const string UserIdPrefix = "hook_";

    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string Room { get; set; } = string.Empty;

    public string SecretHash { get; set; } = string.Empty;

    public string CreatedBy { get; set; } = string.Empty;

    public DateTime CreatedAtUtc { get; set; }

    public string UserId => UserIdPrefix + Id;
}
