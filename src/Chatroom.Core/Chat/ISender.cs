using Chatroom.Core.Auth;

namespace Chatroom.Core.Chat;

/// <summary>
/// A person sending, as <see cref="SendAdmission"/> sees them: who they are, which rooms they have joined, and the
/// budgets their sends draw on. A hub connection is one; the state lives with the transport, the rules in Core.
/// </summary>
public interface ISender
{
    ChatIdentity Identity { get; }

    /// <summary>The sender's own rate (per connection).</summary>
    TokenBucket Rate { get; }

    /// <summary>What all of the person's connections share: their rate and slow-mode clock.</summary>
    UserBudget User { get; }

    bool IsIn(string room);

    /// <summary>
    /// True when the sender's membership of the members-only <paramref name="room"/> was checked already (a hub connection
    /// checks it at join and loses the room when removed), so the send need not read it again. Others are asked per send.
    /// </summary>
    bool MembershipChecked(string room) => false;
}
