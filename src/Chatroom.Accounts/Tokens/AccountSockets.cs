using Chatroom.Core.Bus;
using Chatroom.Core.Chat;

namespace Chatroom.Accounts.Tokens;

/// <summary>
/// Tells every socket server, over the chat bus's global channel, to close an account's live connections (ban, disable,
/// sign-out everywhere, password change): without it a socket opened with a valid token would stay open until it closes.
/// </summary>
public sealed class AccountSockets(IChatBus bus)
{
    /// <param name="revokedStamp">The security stamp the account's tokens carried before it changed: they are refused from now on.</param>
    public ValueTask CloseAsync(string userId, string code, string reason, string? revokedStamp, CancellationToken cancellationToken) =>
        bus.PublishAsync(new ChatEvent(ChatEventTypes.AccountClosed, null, ChatJson.ToElement(new AccountClosed(userId, code, reason, revokedStamp))),
            cancellationToken);
}
