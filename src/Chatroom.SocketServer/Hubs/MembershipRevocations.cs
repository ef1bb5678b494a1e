using System.Text.Json;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Core.Contacts;
using Chatroom.Core.Presence;
using Chatroom.SocketServer.Fanout;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Chatroom.SocketServer.Hubs;

/// <summary>
/// Takes a members-only room away from this node's connections of someone who was removed from it on any node (the
/// <see cref="ChatEventTypes.MemberRemoved"/> event on the bus's global channel). A connection checks membership once,
/// at join, and sends on that check; this is what keeps the check true afterwards, without a store read per send.
/// </summary>
public sealed partial class MembershipRevocations(
    IChatBus bus,
    ConnectionRegistry connections,
    RoomRelay relay,
    IPresenceStore presence,
    IHubContext<ChatHub> hub,
    ILogger<MembershipRevocations> logger) : IHostedService
{
    private IAsyncDisposable? _subscription;

    public async Task StartAsync(CancellationToken cancellationToken) =>
        _subscription = await bus.SubscribeAsync(null, OnEventAsync, cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _subscription, null) is { } subscription)
        {
            await subscription.DisposeAsync();
        }
    }

    private async ValueTask OnEventAsync(ChatEvent chatEvent)
    {
        if (chatEvent.Type != ChatEventTypes.MemberRemoved
            || chatEvent.Data.Deserialize<MemberRemoved>(ChatJson.Options) is not { UserId.Length: > 0, Room.Length: > 0 } removed)
        {
            return;
        }

        var dropped = 0;
        foreach (var (connectionId, state) in connections.Snapshot())
        {
            if (state.Identity.UserId != removed.UserId || !state.Remove(removed.Room))
            {
                continue;
            }

            dropped++;
            await relay.RemoveAsync(removed.Room, connectionId, CancellationToken.None);
            await presence.LeaveAsync(removed.Room, connectionId, CancellationToken.None);
            await hub.Clients.Client(connectionId).SendAsync(ChatEventTypes.System,
                new { room = removed.Room, code = "member_removed", text = $"you are no longer a member of '{removed.Room}'" });
        }

        if (dropped > 0)
        {
            LogDropped(logger, removed.Room, dropped, removed.UserId);
        }
    }

    [LoggerMessage(EventId = 3130, Level = LogLevel.Information, Message = "Dropped room {Room} from {Count} connections of {UserId}: no longer a member")]
    private static partial void LogDropped(ILogger logger, string room, int count, string userId);
}
