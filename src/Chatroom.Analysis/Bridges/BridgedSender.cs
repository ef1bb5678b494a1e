using Chatroom.Core.Auth;
using Chatroom.Core.Chat;

namespace Chatroom.Analysis.Bridges;

/// <summary>
/// Someone on the peer's side posting through the bridge, as <see cref="SendAdmission"/> sees them. Like a program
/// posting over REST they hold no connection, so they are "in" every room; their grant allows only the bridge's rooms.
/// </summary>
public sealed class BridgedSender(ChatIdentity identity, TokenBucket rate, UserBudget user) : ISender
{
    public ChatIdentity Identity { get; } = identity;

    public TokenBucket Rate { get; } = rate;

    public UserBudget User { get; } = user;

    public bool IsIn(string room) => true;
}
