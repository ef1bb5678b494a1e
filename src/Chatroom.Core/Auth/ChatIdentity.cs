using Chatroom.Core.Messages;

namespace Chatroom.Core.Auth;

/// <summary>Who a token speaks for; a bot's token also carries what the bot may do (<see cref="Bot"/>).</summary>
public sealed record ChatIdentity(string UserId, string Name, string Role, DateTimeOffset ExpiresAt, BotGrant? Bot = null)
{
    public bool IsAdmin => Role == ChatRoles.Admin;

    /// <summary>A minor whose guardian has not approved the account (yet): they may read, not send.</summary>
    public bool AwaitingGuardian { get; init; }

    /// <summary>The author kind of what this identity posts: programs get a badge (BOT, webhook, bridge) wherever their name shows.</summary>
    public MessageKind AuthorKind => Bot is null ? MessageKind.User : Role switch
    {
        ChatRoles.Webhook => MessageKind.Webhook,
        ChatRoles.Bridge => MessageKind.Bridge,
        _ => MessageKind.Bot,
    };
}

public static class ChatRoles
{
    public const string Guest = "guest";

    /// <summary>A registered account.</summary>
    public const string User = "user";
    public const string Moderator = "moderator";
    public const string Admin = "admin";

    /// <summary>A bot account created by an admin; what it may do is in its token (<see cref="BotGrant"/>).</summary>
    public const string Bot = "bot";

    /// <summary>An incoming webhook posting into its one room; it has no token, only its URL.</summary>
    public const string Webhook = "webhook";

    /// <summary>Someone on a bridged chat, posting through the bridge into the room mapped to their channel.</summary>
    public const string Bridge = "bridge";
}
