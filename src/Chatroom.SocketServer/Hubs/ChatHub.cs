using Chatroom.Core.Auth;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Core.Contacts;
using Chatroom.Core.Errors;
using Chatroom.Core.Messages;
using Chatroom.Core.Presence;
using Chatroom.Core.Rooms;
using Chatroom.ServiceDefaults.Auth;
using Chatroom.SocketServer.Fanout;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Chatroom.SocketServer.Hubs;

/// <summary>
/// <c>/hubs/chat</c>: join, leave, send and typing, and private conversations: open a direct one, answer a request,
/// mark what was read (docs/protocol.md). Every refusal is a
/// <see cref="ChatException"/> that <see cref="ChatHubFilter"/> turns into <c>code: sentence</c>.
/// </summary>
[Authorize]
public sealed class ChatHub(
    ChatService chat,
    IRoomStore rooms,
    IMessageLog log,
    IPresenceStore presence,
    SendAdmission admission,
    IChatBus bus,
    RoomRelay relay,
    ConnectionRegistry connections,
    ChatMetrics metrics,
    IOptions<ChatOptions> chatOptions,
    IOptions<SocketOptions> socketOptions,
    IOptions<AuthOptions> authOptions,
    AccountClosures closures,
    RoomAccess access,
    ConversationService conversations,
    TimeProvider time) : Hub
{
    /// <summary>The name <see cref="Guards.GuardedHubProtocol"/> gives an invocation SignalR could not bind.</summary>
    internal const string InvalidRequestMethod = "invalid_request";

    private readonly ChatOptions _chat = chatOptions.Value;

    public override async Task OnConnectedAsync()
    {
        var identity = Context.User.ToChatIdentity() ?? throw new HubException($"{ErrorCodes.Unauthorized}: sign in first");
        if (identity.Role == ChatRoles.Guest && authOptions.Value.Guests == AuthOptions.GuestsOff)
        {
            throw new HubException($"{ErrorCodes.GuestsDisabled}: guests cannot chat here; sign in with an account");
        }

        var stamp = Context.User?.FindFirst(ChatClaims.SecurityStamp)?.Value;
        var user = connections.BudgetOf(identity.UserId, () => new UserBudget(new TokenBucket(_chat.UserMessagesPerSecond, _chat.UserBurst, time)));
        connections.Add(Context.ConnectionId, new ConnectionState(identity, new TokenBucket(_chat.MessagesPerSecond, _chat.Burst, time), user)
        {
            Caller = Context,
        });

        // Checked after the connection is registered: a closure arriving from now on finds it, one that came before is seen here.
        if (closures.RefusalFor(identity.UserId, stamp) is { } closed)
        {
            connections.Remove(Context.ConnectionId);
            throw new HubException(AccountClosures.CloseReason(closed));
        }

        metrics.ConnectionOpened();
        await Groups.AddToGroupAsync(Context.ConnectionId, RoomRelay.UserGroupOf(identity.UserId), Context.ConnectionAborted);
        await presence.ConnectAsync(Entry(identity.UserId, identity.Name), Context.ConnectionAborted);
        if (identity.IsAdmin)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, RoomRelay.AdminGroup, Context.ConnectionAborted);
        }
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        metrics.ConnectionClosed();
        var state = connections.Remove(Context.ConnectionId);
        if (state is null)
        {
            return;
        }

        foreach (var room in state.Rooms())
        {
            await relay.RemoveAsync(room, Context.ConnectionId, CancellationToken.None);
        }

        var left = await presence.DisconnectAsync(Context.ConnectionId, CancellationToken.None);
        foreach (var room in left)
        {
            await PublishPresenceAsync(room, state, "left", CancellationToken.None);
        }
    }

    /// <summary>Joins a room: recent history, what was missed since <paramref name="lastSeenId"/>, who is present.</summary>
    public async Task<JoinRoomResult> JoinRoom(string room, long? lastSeenId)
    {
        var state = State();
        var ct = Context.ConnectionAborted;
        var found = await chat.GetRoomAsync(room, ct);
        if (lastSeenId is < 0)
        {
            throw new ChatException(ErrorCodes.InvalidCursor, "lastSeenId must be 0 or more");
        }

        if (!state.IsIn(room) && state.RoomCount >= _chat.MaxRoomsPerConnection)
        {
            throw new ChatException(ErrorCodes.TooManyRooms, $"a connection may be in at most {_chat.MaxRoomsPerConnection} rooms");
        }

        // Checked here once; the connection then sends on it until a memberRemoved event takes the room away.
        if (found.IsMembersOnly && !await access.MayReadAsync(found, state.Identity.UserId, ct))
        {
            throw ChatService.UnknownRoom(room);
        }

        if (!state.Identity.IsAdmin && await rooms.IsBannedAsync(room, state.Identity.UserId, time.GetUtcNow(), ct))
        {
            throw new ChatException(ErrorCodes.Banned, $"you are banned from '{room}'");
        }

        // Subscribe before reading the log, so nothing stored in between is missed (clients merge by id).
        await relay.AddAsync(room, Context.ConnectionId, ct);
        if (state.Add(room) && await presence.JoinAsync(room, Entry(state.Identity.UserId, state.Identity.Name), ct))
        {
            await PublishPresenceAsync(room, state, "joined", ct);
        }

        var history = await log.ReadAsync(room, new MessageQuery(null, null, _chat.JoinHistory), ct);
        IReadOnlyList<ChatMessage> missed = [];
        var truncated = false;
        if (lastSeenId is { } seen)
        {
            var page = await log.ReadAsync(room, new MessageQuery(null, seen, _chat.MaxMissed + 1), ct);
            truncated = page.Count > _chat.MaxMissed;
            missed = truncated ? page.Take(_chat.MaxMissed).ToList() : page;
        }

        if (found.IsMembersOnly && history.Count > 0)
        {
            // Joining shows the latest messages, so they count as read in the conversation list.
            await rooms.MarkReadAsync(room, state.Identity.UserId, history[^1].Id, ct);
        }

        var admin = state.Identity.IsAdmin;
        return new JoinRoomResult(
            room,
            found.Topic,
            history.Select(m => m.VisibleTo(admin)).ToList(),
            missed.Select(m => m.VisibleTo(admin)).ToList(),
            truncated,
            await presence.ListAsync(room, ct),
            found.SlowModeSeconds,
            found.Locked,
            socketOptions.Value.NodeId);
    }

    public async Task LeaveRoom(string room)
    {
        RoomNames.Validate(room);
        var state = State();
        if (!state.Remove(room))
        {
            return;
        }

        await relay.RemoveAsync(room, Context.ConnectionId, Context.ConnectionAborted);
        if (await presence.LeaveAsync(room, Context.ConnectionId, Context.ConnectionAborted))
        {
            await PublishPresenceAsync(room, state, "left", Context.ConnectionAborted);
        }
    }

    /// <summary>
    /// Stores the message and acknowledges it with its id; a retried <paramref name="clientMessageId"/> is stored once.
    /// Whether it may be sent at all is <see cref="SendAdmission"/>'s to say.
    /// </summary>
    public async Task<SendMessageResult> SendMessage(string room, string text, string? clientMessageId)
    {
        var result = await admission.SendAsync(State(), room, text, clientMessageId, Context.ConnectionAborted);
        var stored = result.Message;
        return new SendMessageResult(stored.Room, stored.Id, stored.SentAt, result.Duplicate);
    }

    /// <summary>Opens (or finds) the direct conversation with <paramref name="userId"/>; returns its room name, to join.</summary>
    public Task<string> OpenDirect(string userId) => conversations.OpenDirectAsync(State().Identity, userId, Context.ConnectionAborted);

    /// <summary>Accepts the message request or invitation waiting in <paramref name="room"/>; the room can then be joined.</summary>
    public Task AcceptRequest(string room) => conversations.AcceptAsync(State().Identity, room, Context.ConnectionAborted);

    /// <summary>Declines the message request or invitation waiting in <paramref name="room"/>.</summary>
    public Task DeclineRequest(string room) => conversations.DeclineAsync(State().Identity, room, Context.ConnectionAborted);

    /// <summary>Marks the messages of <paramref name="room"/> up to <paramref name="messageId"/> read (for unread counts).</summary>
    public Task MarkRead(string room, long messageId) =>
        conversations.MarkReadAsync(State().Identity.UserId, room, messageId, Context.ConnectionAborted);

    /// <summary>Tells the room this user is typing; at most one event per interval goes out.</summary>
    public async Task Typing(string room)
    {
        RoomNames.Validate(room);
        var state = State();
        admission.EnsureMaySpeak(state.Identity);
        if (!state.IsIn(room))
        {
            throw new ChatException(ErrorCodes.NotMember, $"join '{room}' first");
        }

        if (!state.TryTyping(room, time.GetTimestamp(), (long)(socketOptions.Value.TypingInterval.TotalSeconds * time.TimestampFrequency)))
        {
            return;
        }

        var user = new PresentUser(state.Identity.UserId, state.Identity.Name);
        await bus.PublishAsync(new ChatEvent(ChatEventTypes.Typing, room, ChatJson.ToElement(new TypingEvent(room, user))), Context.ConnectionAborted);
    }

    /// <summary>
    /// Refuses an invocation whose method does not exist or whose arguments do not bind; SignalR would answer those
    /// itself, past the hub filters, so <see cref="Guards.GuardedHubProtocol"/> routes them here.
    /// </summary>
    [HubMethodName(InvalidRequestMethod)]
    public Task RefuseInvalidRequest(string reason) => throw new ChatException(ErrorCodes.InvalidRequest, reason);

    private ConnectionState State() =>
        connections.Get(Context.ConnectionId) ?? throw new ChatException(ErrorCodes.Unauthorized, "the connection is closing");

    private PresenceEntry Entry(string userId, string name) => new(Context.ConnectionId, userId, name, socketOptions.Value.NodeId);

    private async Task PublishPresenceAsync(string room, ConnectionState state, string action, CancellationToken ct)
    {
        var present = await presence.ListAsync(room, ct);
        var evt = new PresenceEvent(room, new PresentUser(state.Identity.UserId, state.Identity.Name), action, present.Count);
        await bus.PublishAsync(new ChatEvent(ChatEventTypes.Presence, room, ChatJson.ToElement(evt)), ct);
    }
}
