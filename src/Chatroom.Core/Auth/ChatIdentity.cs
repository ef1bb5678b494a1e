namespace Chatroom.Core.Auth;

/// <summary>Who a token speaks for.</summary>
public sealed record ChatIdentity(string UserId, string Name, string Role, DateTimeOffset ExpiresAt)
{
    public bool IsAdmin => Role == ChatRoles.Admin;

    /// <summary>A minor whose guardian has not approved the account (yet): they may read, not send.</summary>
    public bool AwaitingGuardian { get; init; }
}

public static class ChatRoles
{
    public const string Guest = "guest";

    /// <summary>A registered account.</summary>
    public const string User = "user";
    public const string Moderator = "moderator";
    public const string Admin = "admin";
}
