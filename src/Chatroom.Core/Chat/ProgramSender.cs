using Chatroom.Core.Auth;

namespace Chatroom.Core.Chat;

/// <summary>
/// A program posting without a connection — over REST or MCP, through an incoming webhook, or someone on a bridged chat —
/// as <see cref="SendAdmission"/> sees it. It holds no connection, so it is "in" every room: whether the room exists, and
/// whether the caller may post there or is banned, muted, locked out or slowed, is still the admission's to say.
/// </summary>
public sealed class ProgramSender(ChatIdentity identity, TokenBucket rate, UserBudget user) : ISender
{
    public ChatIdentity Identity { get; } = identity;

    public TokenBucket Rate { get; } = rate;

    public UserBudget User { get; } = user;

    public bool IsIn(string room) => true;
}
