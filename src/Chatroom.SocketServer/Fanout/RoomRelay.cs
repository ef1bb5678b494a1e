using System.Text.Json;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.SocketServer.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Chatroom.SocketServer.Fanout;

/// <summary>
/// Bridges the chat bus to this node's SignalR groups. SignalR groups are node-local; the relay holds
/// one bus subscription per room that has local members, and one for the global channel.
/// </summary>
public sealed class RoomRelay(IChatBus bus, IHubContext<ChatHub> hub, ChatMetrics metrics, TimeProvider time) : IAsyncDisposable
{
    public const string AdminGroup = "admins";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, (IAsyncDisposable Subscription, HashSet<string> Connections)> _rooms = new(StringComparer.Ordinal);
    private IAsyncDisposable? _global;

    public static string GroupOf(string room) => "room:" + room;

    /// <summary>Subscribes the room on first local member, then adds the connection to the room's group.</summary>
    public async Task AddAsync(string room, string connectionId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_rooms.TryGetValue(room, out var entry))
            {
                var subscription = await bus.SubscribeAsync(room, e => DeliverAsync(e), cancellationToken);
                _rooms[room] = entry = (subscription, new HashSet<string>(StringComparer.Ordinal));
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
                release = entry.Subscription;
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

    private async ValueTask DeliverAsync(ChatEvent chatEvent)
    {
        if (chatEvent.Room is null)
        {
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

        await hub.Clients.Group(GroupOf(chatEvent.Room)).SendAsync(chatEvent.Type, chatEvent.Data);
        if (chatEvent.Type == ChatEventTypes.Message &&
            chatEvent.Data.TryGetProperty("sentAt", out var sentAt) && sentAt.ValueKind == JsonValueKind.String &&
            sentAt.TryGetDateTimeOffset(out var stamp))
        {
            metrics.DeliveryLatency(time.GetUtcNow() - stamp);
        }
    }
}
