using Chatroom.Core.Auth;
using Chatroom.Core.Chat;

namespace Chatroom.Core.Tests.Chat;

/// <summary>A sender as a hub connection holds one: an identity, the joined rooms and the two rate budgets.</summary>
internal sealed class TestSender(ChatIdentity identity, TokenBucket rate, UserBudget user, IEnumerable<string> rooms) : ISender
{
    private readonly HashSet<string> _rooms = new(rooms, StringComparer.Ordinal);

    public ChatIdentity Identity { get; } = identity;

    public TokenBucket Rate { get; } = rate;

    public UserBudget User { get; } = user;

    public bool IsIn(string room) => _rooms.Contains(room);
}
