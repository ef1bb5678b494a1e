using System.Security.Claims;
using Chatroom.Core.Auth;
using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Chatroom.Core.Messages;
using Microsoft.Extensions.Options;

namespace Chatroom.Api.Posting;

/// <summary>The stored message and whether it is the first answer replayed for a retried idempotency key.</summary>
public sealed record PostedMessage(ChatMessage Message, bool Replayed);

/// <summary>
/// A post from a program (REST or MCP): the caller's identity and token scope, then <see cref="SendAdmission"/> with the
/// caller's budget, so every rule of the hub applies and the message reaches hub clients through the same append and bus.
/// The idempotency key is the message's client id: the log keeps the first answer (a day on Redis, as long as the message
/// itself in the embedded store).
/// </summary>
public sealed class MessagePosting(SendAdmission admission, ApiSenders senders, IOptions<AuthOptions> auth, IOptions<ChatOptions> chat)
{
    /// <summary>
    /// Posts as the caller. <paramref name="answeredHop"/> is the hop of the delivered event this post answers (echoed
    /// back by the program), so the post sits one hop further in the chain; null for a post answering nothing.
    /// </summary>
    public async Task<PostedMessage> PostAsync(
        ClaimsPrincipal user, string room, string? text, string? idempotencyKey, int? answeredHop, CancellationToken cancellationToken)
    {
        var identity = ChatCaller.Identify(user, auth.Value);
        ChatCaller.EnsureMayPost(user);
        var hop = LoopGuard.Next(answeredHop);
        AppendResult result;
        try
        {
            result = await admission.SendAsync(senders.For(identity), room, text ?? string.Empty, idempotencyKey, hop, cancellationToken);
        }
        catch (ChatException refusal) when (refusal.Code == ErrorCodes.InvalidClientMessageId)
        {
            // The rule is the client id's; a program sees the name it sent.
            throw new ChatException(ErrorCodes.InvalidIdempotencyKey,
                $"the idempotency key must be 1-{chat.Value.MaxClientMessageIdLength} printable ASCII characters", inner: refusal);
        }

        return new PostedMessage(result.Message.VisibleTo(identity.IsAdmin), result.Duplicate);
    }
}
