using System.Collections.Concurrent;
using System.Text.Json;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Core.Contacts;
using Chatroom.Core.Messages;
using Chatroom.SocketServer.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Chatroom.SocketServer.Fanout;

/// <summary>
/// Bridges the chat bus to this node's SignalR groups. SignalR groups are node-local; the relay holds
/// one bus subscription per room that has local members, and one for the global channel.
/// </summary>
public sealed class RoomRelay(IChatBus bus, IMessageLog log, IHubContext<ChatHub> hub, ChatMetrics metrics, TimeProvider time) : IAsyncDisposable
{
    public const string AdminGroup = "admins";

    /// <summary>Most messages one catch-up delivers; beyond that, clients page the log themselves by lastSeenId.</summary>
    private const int MaxCatchUp = 1000;

    private readonly ConcurrentDictionary<string, long> _lastDelivered = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, (IAsyncDisposable Subscription, HashSet<string> Connections)> _rooms = new(StringComparer.Ordinal);
    private IAsyncDisposable? _global;

    public static string GroupOf(string room) => "room:" + room;

    /// <summary>Every connection of one person on this node, for events addressed to them (requests, invitations).</summary>
    public static string UserGroupOf(string userId) => "user:" + userId;

    /// <summary>Subscribes the room on first local member, then adds the connection to the room's group.</summary>
    public async Task AddAsync(string room, string connectionId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_rooms.TryGetValue(room, out var entry))
            {
                // Where delivery starts: a lapsed subscription later catches up from here.
                var latest = await log.ReadAsync(room, new MessageQuery(null, null, 1), cancellationToken);
                _lastDelivered[room] = latest.Count > 0 ? latest[0].Id : 0;
                var subscription = await bus.SubscribeAsync(room, e => DeliverAsync(e), cancellationToken);
                _rooms[room] = entry = (subscription, new HashSet<string>(StringComparer.Ordinal));
                metrics.RoomActivated();
            }

            entry.Connections.Add(connectionId);
        }
        finally
        {
            _gate.Release();
        }

        await hub.Groups.AddToGroupAsync(connectionId, GroupOf(room), cancellationToken);
    }

    /// <summary>Removes the connection from the room's group and unsubscribes after the last local member.</summary>
    public async Task RemoveAsync(string room, string connectionId, CancellationToken cancellationToken)
    {
        await hub.Groups.RemoveFromGroupAsync(connectionId, GroupOf(room), cancellationToken);
        IAsyncDisposable? release = null;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_rooms.TryGetValue(room, out var entry) && entry.Connections.Remove(connectionId) && entry.Connections.Count == 0)
            {
                _rooms.Remove(room);
                _lastDelivered.TryRemove(room, out _);
                release = entry.Subscription;
                metrics.RoomDeactivated();
            }
        }
        finally
        {
            _gate.Release();
        }

        if (release is not null)
        {
            await release.DisposeAsync();
        }
    }

    /// <summary>Listens to the global channel (broadcast notices, admin analysis events).</summary>
    public async Task StartAsync(CancellationToken cancellationToken) =>
        _global = await bus.SubscribeAsync(null, e => DeliverAsync(e), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_global is not null)
        {
            await _global.DisposeAsync();
        }

        foreach (var (subscription, _) in _rooms.Values)
        {
            await subscription.DisposeAsync();
        }

        _rooms.Clear();
        _gate.Dispose();
    }

    /// <summary>
    /// After the bus subscription lapsed, delivers from the log what was stored since the last message this node
    /// relayed, so members whose connections stayed up miss nothing (clients merge by id, so repeats are harmless).
    /// </summary>
    private async Task CatchUpAsync(string room)
    {
        if (!_lastDelivered.TryGetValue(room, out var from))
        {
            return;
        }

        var delivered = 0;
        while (delivered < MaxCatchUp)
        {
            var page = await log.ReadAsync(room, new MessageQuery(null, from, 200), CancellationToken.None);
            foreach (var message in page)
            {
                await hub.Clients.Group(GroupOf(room)).SendAsync(ChatEventTypes.Message, message.VisibleTo(isAdmin: false));
                from = message.Id;
            }

            delivered += page.Count;
            _lastDelivered.AddOrUpdate(room, from, (_, last) => Math.Max(last, from));
            if (page.Count < 200)
            {
                return;
            }
        }
    }

    /// <summary>A request or invitation for one person: only client events addressed to them pass.</summary>
    private async Task DeliverToUserAsync(JsonElement data)
    {
        if (data.Deserialize<UserEvent>(ChatJson.Options) is { UserId.Length: > 0 } userEvent
            && userEvent.Type is ChatEventTypes.ConversationRequest or ChatEventTypes.RoomInvite or ChatEventTypes.System)
        {
            await hub.Clients.Group(UserGroupOf(userEvent.UserId)).SendAsync(userEvent.Type, userEvent.Data);
        }
    }

    private async ValueTask DeliverAsync(ChatEvent chatEvent)
    {
        if (chatEvent.Room is null)
        {
            if (chatEvent.Type == ChatEventTypes.ToUser)
            {
                await DeliverToUserAsync(chatEvent.Data);
                return;
            }

            // The global channel also carries events for services (e.g. agent definition changes): only client events go out.
            var target = chatEvent.Type switch
            {
                ChatEventTypes.Analysis => hub.Clients.Group(AdminGroup),
                ChatEventTypes.System => hub.Clients.All,
                _ => null,
            };
            if (target is not null)
            {
                await target.SendAsync(chatEvent.Type, chatEvent.Data);
            }

            return;
        }

        if (chatEvent.Type == ChatEventTypes.Resync)
        {
            await CatchUpAsync(chatEvent.Room);
            return;
        }

        await hub.Clients.Group(GroupOf(chatEvent.Room)).SendAsync(chatEvent.Type, chatEvent.Data);
        if (chatEvent.Type == ChatEventTypes.Message && chatEvent.Data.TryGetProperty("id", out var id) && id.TryGetInt64(out var messageId))
        {
            _lastDelivered.AddOrUpdate(chatEvent.Room, messageId, (_, last) => Math.Max(last, messageId));
        }

        if (chatEvent.Type == ChatEventTypes.Message &&
            chatEvent.Data.TryGetProperty("sentAt", out var sentAt) && sentAt.ValueKind == JsonValueKind.String &&
            sentAt.TryGetDateTimeOffset(out var stamp))
        {
            metrics.DeliveryLatency(time.GetUtcNow() - stamp);
        }
    }
}
