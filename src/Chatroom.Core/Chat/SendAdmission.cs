using Chatroom.Core.Auth;
using Chatroom.Core.Contacts;
using Chatroom.Core.Errors;
using Chatroom.Core.Messages;
using Chatroom.Core.Moderation;
using Chatroom.Core.Rooms;
using Microsoft.Extensions.Options;

namespace Chatroom.Core.Chat;

/// <summary>
/// Whether a person may send this message here now, and the send itself: read-only guests, membership, the client id,
/// a members-only room's membership and a direct room's requests and blocks, locked room, ban, mute, slow mode, rate and
/// the text, in that order, each refused with its stable code and sentence;
/// then a retried client id must carry the text it first came with.
/// A new send rule goes here. Agents and admin broadcasts post through <see cref="ChatService"/> directly: they are not
/// members of rooms and have budgets of their own.
/// </summary>
public sealed class SendAdmission(
    ChatService chat,
    IRoomStore rooms,
    IModerationStore moderation,
    RoomAccess access,
    ConversationService conversations,
    IOptions<ChatOptions> options,
    IOptions<AuthOptions> auth,
    TimeProvider time)
{
    private readonly ChatOptions _options = options.Value;
    private readonly bool _guestsReadOnly = auth.Value.Guests == AuthOptions.GuestsReadOnly;

    /// <summary>
    /// With <c>Chatroom:Auth:Guests</c> = <c>read-only</c>, guests join and read but neither send nor type: the send
    /// asks first, and the hub asks before a typing event. A minor whose guardian has not approved is held the same way,
    /// from a claim of the token (no store read per send).
    /// </summary>
    public void EnsureMaySpeak(ChatIdentity identity)
    {
        if (_guestsReadOnly && identity.Role == ChatRoles.Guest)
        {
            throw new ChatException(ErrorCodes.GuestsReadOnly, "guests can read here but not write; sign in with an account to chat");
        }

        if (identity.AwaitingGuardian)
        {
            throw new ChatException(ErrorCodes.GuardianConsentRequired,
                "your account is waiting for your guardian's consent; you can read, and send once they approve");
        }
    }

    /// <summary>Admits the message, stores it (once per <paramref name="clientMessageId"/>) and starts the sender's slow-mode clock.</summary>
    public Task<AppendResult> SendAsync(ISender sender, string room, string text, string? clientMessageId, CancellationToken cancellationToken) =>
        SendAsync(sender, room, text, clientMessageId, hop: 0, cancellationToken);

    /// <summary>
    /// As above for a program's post, <paramref name="hop"/> being its place in a chain of automated answers
    /// (<see cref="LoopGuard.Next"/>); one beyond the limit is refused with <c>loop_detected</c>.
    /// </summary>
    public async Task<AppendResult> SendAsync(ISender sender, string room, string text, string? clientMessageId, int hop, CancellationToken cancellationToken)
    {
        EnsureMaySpeak(sender.Identity);
        RoomNames.Validate(room);
        if (!sender.IsIn(room))
        {
            throw new ChatException(ErrorCodes.NotMember, $"join '{room}' before sending to it");
        }

        ValidateClientMessageId(clientMessageId);
        var identity = sender.Identity;
        identity.Bot?.EnsureMayPost(room);
        var now = time.GetUtcNow();

        // The three reads are issued together; both backends serve them from memory (Redis from a node cache that every
        // change empties on all nodes). A member's room exists, so the reads are never for a name a client made up.
        // Admins are never banned, muted, locked out or slowed, so their sends skip the two reads.
        var reading = chat.GetRoomAsync(room, cancellationToken);
        var banned = identity.IsAdmin ? Task.FromResult(false) : rooms.IsBannedAsync(room, identity.UserId, now, cancellationToken);
        var muted = identity.IsAdmin ? Task.FromResult<DateTimeOffset?>(null) : moderation.GetMuteAsync(room, identity.UserId, now, cancellationToken);
        var found = await reading;
        PendingRequest? request = null;
        if (found.IsMembersOnly)
        {
            // Admins too: private content is its members' alone. Refused as if the room did not exist.
            if (!sender.MembershipChecked(room) && !await access.MayReadAsync(found, identity.UserId, cancellationToken))
            {
                throw ChatService.UnknownRoom(room);
            }

            if (found.Visibility == RoomVisibility.Direct)
            {
                request = await conversations.AdmitDirectAsync(identity, found, cancellationToken);
            }
        }

        if (!identity.IsAdmin)
        {
            if (found.Locked)
            {
                throw new ChatException(ErrorCodes.RoomLocked, $"'{room}' is locked; only admins can post");
            }

            if (await banned)
            {
                throw new ChatException(ErrorCodes.Banned, $"you are banned from '{room}'");
            }

            if (await muted is { } mutedUntil)
            {
                var left = mutedUntil - now;
                throw new ChatException(ErrorCodes.Muted, $"you are muted in '{room}' for {Seconds(left)} s more", left);
            }

            if (found.SlowModeSeconds > 0 && sender.User.SlowModeWait(room, found.SlowModeSeconds, now) is { } wait && wait > TimeSpan.Zero)
            {
                throw new ChatException(ErrorCodes.SlowMode, $"slow mode is on; wait {Seconds(wait)} s", wait);
            }
        }

        if (!sender.Rate.TryTake(out var retryAfter) || !sender.User.Rate.TryTake(out retryAfter))
        {
            throw new ChatException(ErrorCodes.RateLimited, $"wait {Seconds(retryAfter)} s", retryAfter);
        }

        chat.ValidateText(text);
        var result = await chat.PostAsync(new NewMessage(room, identity.UserId, identity.Name, identity.AuthorKind, text, clientMessageId, hop), cancellationToken);

        // A retry carries the same text; another text under a used id is a client bug or a reused key, and answering
        // with the first message would tell the caller that its new text was stored.
        if (result.Duplicate && !string.Equals(result.Message.Text, text, StringComparison.Ordinal))
        {
            throw new ChatException(ErrorCodes.IdempotencyKeyReused,
                $"'{clientMessageId}' was used for another message in '{room}'; a new message needs a new id");
        }

        sender.User.Sent(room, now);
        if (request is not null && !result.Duplicate)
        {
            await conversations.AnnounceAsync(request, result.Message, cancellationToken);
        }

        return result;
    }

    private void ValidateClientMessageId(string? clientMessageId)
    {
        if (clientMessageId is null)
        {
            return;
        }

        if (clientMessageId.Length is 0 || clientMessageId.Length > _options.MaxClientMessageIdLength ||
            clientMessageId.Any(c => c is < '!' or > '~'))
        {
            throw new ChatException(ErrorCodes.InvalidClientMessageId,
                $"clientMessageId must be 1-{_options.MaxClientMessageIdLength} printable ASCII characters");
        }
    }

    private static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
}
