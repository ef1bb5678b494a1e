using Chatroom.Core.Auth;
using Chatroom.Core.Chat;

namespace Chatroom.Api.Posting;

/// <summary>
/// A program posting over REST or MCP, as <see cref="SendAdmission"/> sees it. It holds no connection, so it is "in"
/// every room: whether the room exists, and whether the caller is banned, muted, locked out or slowed, is still the
/// admission's to say.
/// </summary>
public sealed class ApiSender(ChatIdentity identity, TokenBucket rate, UserBudget user) : ISender
{
    public ChatIdentity Identity { get; } = identity;

    public TokenBucket Rate { get; } = rate;

    public UserBudget User { get; } = user;

    public bool IsIn(string room) => true;
}
