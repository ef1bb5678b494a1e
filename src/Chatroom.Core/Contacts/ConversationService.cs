using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Chatroom.Core.Auth;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Chatroom.Core.GuardianCases;
using Chatroom.Core.Messages;
using Chatroom.Core.Presence;
using Chatroom.Core.Rooms;
using Microsoft.Extensions.Options;

namespace Chatroom.Core.Contacts;

/// <summary>
/// The rules of private conversations, once for every transport: direct conversations (one room per pair, named from the
/// pair so two people opening at once, on any node, meet in one), message requests (a first message from someone new
/// waits until the recipient accepts; a decline keeps the sender from asking again for a while), invitations into private
/// rooms (owner only), blocks, and the list of a person's conversations with unread counts. Refusals that would tell a
/// sender they were blocked read <c>recipient_unavailable</c>, whatever the reason. A person's direct-message setting
/// (<see cref="DirectMessagePolicies"/>: a guardian's restriction for a minor) applies to every new conversation and send,
/// and a minor receiving a first message from an adult is shown a safety notice.
/// </summary>
public sealed class ConversationService(
    IRoomStore rooms,
    IBlockStore blocks,
    IParticipantStore participants,
    IContactRestrictionStore restrictions,
    IMessageLog log,
    IChatBus bus,
    IOptions<ConversationOptions> options,
    TimeProvider time)
{
    /// <summary>Direct rooms' names start with this; nobody may create a room so named by hand.</summary>
    public const string DirectPrefix = "dm-";

    /// <summary>The <c>code</c> of the <c>system</c> event a minor sees with a first message from an adult.</summary>
    public const string SafetyNoticeCode = "safety_notice";

    public const string SafetyNoticeText =
        "This message is from an adult you have not talked to here before. Never share where you live, your school or photos, " +
        "and don't agree to keep secrets or move to another app. You can decline, block or report them, and talk to your guardian.";

    /// <summary>Unread counts stop here (a list shows "99+"); counting further would read the whole backlog.</summary>
    public const int MaxUnread = 100;

    private readonly ConversationOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, TokenBucket> _starts = new(StringComparer.Ordinal);

    /// <summary>
    /// The pair's room: the same whoever asks, and it reveals neither id. 40 hex digits of SHA-256 leave collisions out
    /// of reach and fit the room name pattern.
    /// </summary>
    public static string DirectRoomName(string userId, string otherUserId)
    {
        var (first, second) = string.CompareOrdinal(userId, otherUserId) <= 0 ? (userId, otherUserId) : (otherUserId, userId);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(first + "\n" + second));
        return DirectPrefix + Convert.ToHexStringLower(hash.AsSpan(0, 20));
    }

    /// <summary>Opens (or finds) the caller's direct conversation with <paramref name="otherUserId"/> and returns its room name.</summary>
    public async Task<string> OpenDirectAsync(ChatIdentity caller, string? otherUserId, CancellationToken cancellationToken)
    {
        EnsureAccount(caller);
        var other = UserIds.Validate(otherUserId);
        if (other == caller.UserId)
        {
            throw new ChatException(ErrorCodes.InvalidUserId, "a conversation needs someone else");
        }

        await EnsureNotBlockedAsync(caller.UserId, other, cancellationToken);
        var name = DirectRoomName(caller.UserId, other);
        var now = time.GetUtcNow();
        var exists = await rooms.GetAsync(name, cancellationToken) is not null;
        var contact = exists && await rooms.GetMemberAsync(name, other, cancellationToken) is { CanRead: true };
        await EnsureMayReachAsync(caller.UserId, other, contact, cancellationToken);
        if (!exists)
        {
            TakeStart(caller.UserId);
            if (await rooms.TryCreateAsync(new Room(name, null, caller.UserId, now, Visibility: RoomVisibility.Direct), cancellationToken))
            {
                await rooms.SetMemberAsync(name, new RoomMember(caller.UserId, MemberRoles.Owner, now), cancellationToken);
                await rooms.SetMemberAsync(name, new RoomMember(other, MemberRoles.Pending, now), cancellationToken);
                return name;
            }
        }

        // The room exists (or the other person created it a moment ago): opening it is the caller saying yes to it.
        var mine = await rooms.GetMemberAsync(name, caller.UserId, cancellationToken);
        if (mine is not { CanRead: true })
        {
            await rooms.SetMemberAsync(name, new RoomMember(caller.UserId, mine is null ? MemberRoles.Owner : MemberRoles.Member, now), cancellationToken);
        }

        return name;
    }

    /// <summary>Accepts the request or invitation waiting for the caller in <paramref name="room"/> (or one they declined).</summary>
    public async Task AcceptAsync(ChatIdentity caller, string room, CancellationToken cancellationToken)
    {
        var member = await AnsweringAsync(caller, room, cancellationToken);
        await rooms.SetMemberAsync(room, member with { Role = MemberRoles.Member, Since = time.GetUtcNow() }, cancellationToken);
    }

    /// <summary>Declines the request or invitation; the sender or owner cannot ask again until the cooldown ends.</summary>
    public async Task DeclineAsync(ChatIdentity caller, string room, CancellationToken cancellationToken)
    {
        var member = await AnsweringAsync(caller, room, cancellationToken);
        if (member.Role == MemberRoles.Pending)
        {
            await rooms.SetMemberAsync(room, member with { Role = MemberRoles.Declined, Since = time.GetUtcNow() }, cancellationToken);
        }
    }

    /// <summary>Invites <paramref name="userId"/> into the caller's private room; they see it once they accept.</summary>
    public async Task InviteAsync(ChatIdentity caller, string room, string? userId, CancellationToken cancellationToken)
    {
        EnsureAccount(caller);
        var (found, _) = await OwnedPrivateRoomAsync(caller, room, cancellationToken);
        var invitee = UserIds.Validate(userId);
        if (invitee == caller.UserId)
        {
            throw new ChatException(ErrorCodes.InvalidUserId, "you are in the room already");
        }

        await EnsureNotBlockedAsync(caller.UserId, invitee, cancellationToken);
        var contact = await rooms.GetMemberAsync(DirectRoomName(caller.UserId, invitee), invitee, cancellationToken) is { CanRead: true };
        await EnsureMayReachAsync(caller.UserId, invitee, contact, cancellationToken);
        var members = await rooms.ListMembersAsync(room, cancellationToken);
        var existing = members.FirstOrDefault(m => m.UserId == invitee);
        var now = time.GetUtcNow();
        switch (existing?.Role)
        {
            case MemberRoles.Owner or MemberRoles.Member or MemberRoles.Pending:
                return;
            case MemberRoles.Declined when now - existing.Since < _options.DeclinedCooldown:
                throw Declined();
        }

        if (members.Count(m => m.Role != MemberRoles.Declined) >= _options.MaxPrivateRoomMembers)
        {
            throw new ChatException(ErrorCodes.RoomFull, $"a private room holds at most {_options.MaxPrivateRoomMembers} members");
        }

        TakeStart(caller.UserId);
        await rooms.SetMemberAsync(room, new RoomMember(invitee, MemberRoles.Pending, now), cancellationToken);
        await ToUserAsync(invitee, ChatEventTypes.RoomInvite,
            new RoomInvite(room, found.Topic, new PresentUser(caller.UserId, caller.Name)), cancellationToken);
    }

    /// <summary>
    /// Removes a member from a private room: the owner removes anyone but themselves, a member removes only themselves
    /// (leaving). False when the person was not a member. Their open connections lose the room at once, on every node.
    /// </summary>
    public async Task<bool> RemoveMemberAsync(ChatIdentity caller, string room, string? userId, CancellationToken cancellationToken)
    {
        var target = UserIds.Validate(userId);
        var (found, mine) = await ReadingMemberAsync(caller, room, cancellationToken);
        if (found.Visibility != RoomVisibility.Private)
        {
            throw new ChatException(ErrorCodes.InvalidRequest, "only private rooms have members to remove");
        }

        if (target != caller.UserId && mine.Role != MemberRoles.Owner)
        {
            throw new ChatException(ErrorCodes.NotOwner, $"only the owner of '{room}' removes members");
        }

        if (target == caller.UserId && mine.Role == MemberRoles.Owner)
        {
            throw new ChatException(ErrorCodes.InvalidRequest, "the owner stays in the room; delete the room instead");
        }

        if (!await rooms.RemoveMemberAsync(room, target, cancellationToken))
        {
            return false;
        }

        await bus.PublishAsync(new ChatEvent(ChatEventTypes.MemberRemoved, null, ChatJson.ToElement(new MemberRemoved(room, target))), cancellationToken);
        return true;
    }

    /// <summary>
    /// What a send into a direct room must pass besides the room's own rules: nobody blocked, and a recipient who has
    /// not accepted holds at most a few messages. Returns the waiting request, or null when the conversation is open.
    /// Only direct rooms come here, so public rooms pay nothing for it.
    /// </summary>
    public async Task<PendingRequest?> AdmitDirectAsync(ChatIdentity sender, Room room, CancellationToken cancellationToken)
    {
        var members = await rooms.ListMembersAsync(room.Name, cancellationToken);
        if (members.FirstOrDefault(m => m.UserId != sender.UserId) is not { } other)
        {
            return null;
        }

        await EnsureNotBlockedAsync(sender.UserId, other.UserId, cancellationToken);
        await EnsureMayReachAsync(sender.UserId, other.UserId, other.CanRead, cancellationToken);
        var now = time.GetUtcNow();
        if (other.Role == MemberRoles.Declined)
        {
            if (now - other.Since < _options.DeclinedCooldown)
            {
                throw Declined();
            }

            TakeStart(sender.UserId);
            other = other with { Role = MemberRoles.Pending, Since = now };
            await rooms.SetMemberAsync(room.Name, other, cancellationToken);
        }

        if (other.Role != MemberRoles.Pending)
        {
            return null;
        }

        var recent = await log.ReadAsync(room.Name, new MessageQuery(null, null, _options.MaxPendingMessages), cancellationToken);
        var waiting = recent.Count(m => m.AuthorId == sender.UserId && m.SentAt >= other.Since);
        if (waiting >= _options.MaxPendingMessages)
        {
            throw new ChatException(ErrorCodes.RequestPending,
                $"your request waits for an answer; at most {_options.MaxPendingMessages} messages until it is accepted");
        }

        return new PendingRequest(room.Name, other.UserId, First: waiting == 0);
    }

    /// <summary>Tells the recipient about a new request, with the start of its first message.</summary>
    public async Task AnnounceAsync(PendingRequest request, ChatMessage stored, CancellationToken cancellationToken)
    {
        if (!request.First)
        {
            return;
        }

        await ToUserAsync(request.RecipientId, ChatEventTypes.ConversationRequest,
            new ConversationRequest(request.Room, new PresentUser(stored.AuthorId, stored.AuthorName), Preview(stored.Text), stored.SentAt), cancellationToken);

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var profiles = await participants.GetManyAsync([stored.AuthorId, request.RecipientId], cancellationToken);
        var recipientIsMinor = profiles.GetValueOrDefault(request.RecipientId)?.IsMinorOn(today) == true;
        var senderIsMinor = profiles.GetValueOrDefault(stored.AuthorId)?.IsMinorOn(today) == true;
        if (recipientIsMinor && !senderIsMinor)
        {
            await ToUserAsync(request.RecipientId, ChatEventTypes.System,
                new { room = request.Room, code = SafetyNoticeCode, text = SafetyNoticeText }, cancellationToken);
        }
    }

    /// <summary>The person's private and direct conversations, latest activity first, with unread counts.</summary>
    public async Task<IReadOnlyList<Conversation>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var list = new List<Conversation>();
        foreach (var name in await rooms.ListRoomsOfAsync(userId, cancellationToken))
        {
            var room = await rooms.GetAsync(name, cancellationToken);
            var members = await rooms.ListMembersAsync(name, cancellationToken);
            if (room is null || members.FirstOrDefault(m => m.UserId == userId) is not { } me || me.Role == MemberRoles.Declined)
            {
                continue;
            }

            var latest = (await log.ReadAsync(name, new MessageQuery(null, null, 1), cancellationToken)).FirstOrDefault();
            var last = latest is null ? null : new ConversationLastMessage(latest.Id, latest.AuthorId, latest.AuthorName,
                latest.Hidden ? string.Empty : Preview(latest.Text), latest.SentAt);
            var with = room.Visibility == RoomVisibility.Direct ? members.FirstOrDefault(m => m.UserId != userId)?.UserId : null;
            var unread = latest is null || latest.Id <= me.LastReadId ? 0 : await UnreadAsync(name, me, cancellationToken);
            list.Add(new Conversation(name, room.Visibility, room.Topic, me.Role, with,
                members.Count(m => m.CanRead), last, unread));
        }

        return [.. list.OrderByDescending(c => c.LastMessage?.SentAt ?? DateTimeOffset.MinValue).ThenBy(c => c.Room, StringComparer.Ordinal)];
    }

    /// <summary>Messages after the member's marker that others wrote (their own do not count), up to <see cref="MaxUnread"/>.</summary>
    private async Task<long> UnreadAsync(string room, RoomMember member, CancellationToken cancellationToken)
    {
        var after = await log.ReadAsync(room, new MessageQuery(null, member.LastReadId, MaxUnread), cancellationToken);
        return after.Count(m => m.AuthorId != member.UserId);
    }

    /// <summary>Moves the reader's marker; only readers of the room have one.</summary>
    public Task MarkReadAsync(string userId, string room, long messageId, CancellationToken cancellationToken)
    {
        RoomNames.Validate(room);
        return messageId < 0
            ? throw new ChatException(ErrorCodes.InvalidCursor, "message ids are 0 or more")
            : rooms.MarkReadAsync(room, userId, messageId, cancellationToken);
    }

    /// <summary>Blocks <paramref name="blockedUserId"/> for <paramref name="caller"/>; false when already blocked.</summary>
    public Task<bool> BlockAsync(ChatIdentity caller, string? blockedUserId, CancellationToken cancellationToken)
    {
        var blocked = UserIds.Validate(blockedUserId);
        return blocked == caller.UserId
            ? throw new ChatException(ErrorCodes.InvalidUserId, "you cannot block yourself")
            : blocks.BlockAsync(caller.UserId, blocked, time.GetUtcNow(), cancellationToken);
    }

    public Task<bool> UnblockAsync(ChatIdentity caller, string? blockedUserId, CancellationToken cancellationToken) =>
        blocks.UnblockAsync(caller.UserId, UserIds.Validate(blockedUserId), cancellationToken);

    private string Preview(string text) => text.Length <= _options.PreviewLength ? text : text[.._options.PreviewLength] + "…";

    private async Task<RoomMember> AnsweringAsync(ChatIdentity caller, string room, CancellationToken cancellationToken)
    {
        RoomNames.Validate(room);
        return await rooms.GetMemberAsync(room, caller.UserId, cancellationToken) is { Role: MemberRoles.Pending or MemberRoles.Declined } member
            ? member
            : throw new ChatException(ErrorCodes.NoRequest, $"there is no request for you in '{room}'");
    }

    /// <summary>The room and the caller's membership when they read it; otherwise <c>unknown_room</c>, as for a made-up name.</summary>
    private async Task<(Room Room, RoomMember Member)> ReadingMemberAsync(ChatIdentity caller, string room, CancellationToken cancellationToken)
    {
        RoomNames.Validate(room);
        var found = await rooms.GetAsync(room, cancellationToken);
        var member = found is null ? null : await rooms.GetMemberAsync(room, caller.UserId, cancellationToken);
        return found is not null && member is { CanRead: true } ? (found, member) : throw ChatService.UnknownRoom(room);
    }

    private async Task<(Room Room, RoomMember Member)> OwnedPrivateRoomAsync(ChatIdentity caller, string room, CancellationToken cancellationToken)
    {
        var (found, member) = await ReadingMemberAsync(caller, room, cancellationToken);
        if (found.Visibility != RoomVisibility.Private)
        {
            throw new ChatException(ErrorCodes.InvalidRequest, "only private rooms take invitations");
        }

        return member.Role == MemberRoles.Owner
            ? (found, member)
            : throw new ChatException(ErrorCodes.NotOwner, $"only the owner of '{room}' invites");
    }

    /// <summary>Either direction stops a conversation; the one blocked is not told why.</summary>
    private async Task EnsureNotBlockedAsync(string userId, string otherUserId, CancellationToken cancellationToken)
    {
        var theyBlocked = blocks.IsBlockedAsync(otherUserId, userId, cancellationToken);
        var iBlocked = blocks.IsBlockedAsync(userId, otherUserId, cancellationToken);
        if (await theyBlocked)
        {
            throw Unavailable();
        }

        if (await iBlocked)
        {
            throw new ChatException(ErrorCodes.UserBlocked, "you blocked this person; unblock them to write");
        }
    }

    /// <summary>
    /// The direct-message settings of both people: the sender's own "off" stops them writing privately at all; the
    /// recipient's "off", or "contacts" for someone who is not yet a contact, reads as <c>recipient_unavailable</c>; so does
    /// a minor for a sender a moderator restricted (<see cref="IContactRestrictionStore"/>).
    /// </summary>
    private async Task EnsureMayReachAsync(string senderId, string recipientId, bool contact, CancellationToken cancellationToken)
    {
        var restricted = restrictions.GetAsync(senderId, cancellationToken);
        var profiles = await participants.GetManyAsync([senderId, recipientId], cancellationToken);
        if (profiles.GetValueOrDefault(senderId) is { DirectMessages: DirectMessagePolicies.Off })
        {
            throw new ChatException(ErrorCodes.DirectMessagesOff, "private messages are turned off for your account");
        }

        if (profiles.GetValueOrDefault(recipientId) is { } recipient
            && (recipient.DirectMessages == DirectMessagePolicies.Off || (recipient.DirectMessages == DirectMessagePolicies.Contacts && !contact)))
        {
            throw Unavailable();
        }

        // A moderator restricted the sender through a guardian case: no private conversation with any minor, existing
        // ones included; worded like every other refusal here, so the restriction is not revealed to the person.
        if (await restricted is not null && profiles.GetValueOrDefault(recipientId)?.IsMinorOn(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime)) == true)
        {
            throw Unavailable();
        }
    }

    private void TakeStart(string userId)
    {
        var bucket = _starts.GetOrAdd(userId, _ => new TokenBucket(_options.NewConversationsPerHour / 3600.0, _options.NewConversationsPerHour, time));
        if (!bucket.TryTake(out var retryAfter))
        {
            throw new ChatException(ErrorCodes.RateLimited,
                $"you started {_options.NewConversationsPerHour} conversations this hour; wait {Math.Ceiling(retryAfter.TotalMinutes)} min", retryAfter);
        }
    }

    private Task ToUserAsync<T>(string userId, string type, T data, CancellationToken cancellationToken) =>
        bus.PublishAsync(new ChatEvent(ChatEventTypes.ToUser, null,
            ChatJson.ToElement(new UserEvent(userId, type, ChatJson.ToElement(data)))), cancellationToken).AsTask();

    private static void EnsureAccount(ChatIdentity caller)
    {
        if (caller.Role == ChatRoles.Guest)
        {
            throw new ChatException(ErrorCodes.AccountRequired, "private conversations need an account");
        }
    }

    private static ChatException Unavailable() =>
        new(ErrorCodes.RecipientUnavailable, "this person cannot be reached in a private conversation");

    private static ChatException Declined() =>
        new(ErrorCodes.RequestDeclined, "this person declined your request; you cannot ask again for now");
}
