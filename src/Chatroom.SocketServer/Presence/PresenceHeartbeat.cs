using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Core.Presence;
using Chatroom.SocketServer.Fanout;
using Chatroom.SocketServer.Hubs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chatroom.SocketServer.Presence;

/// <summary>
/// Keeps this node's presence alive and sweeps out the entries of nodes that stopped heartbeating,
/// announcing their users' departure. Also starts the relay's global subscription.
/// </summary>
internal sealed partial class PresenceHeartbeat(
    IPresenceStore presence,
    IChatBus bus,
    RoomRelay relay,
    IOptions<PresenceOptions> presenceOptions,
    IOptions<SocketOptions> socketOptions,
    TimeProvider time,
    ILogger<PresenceHeartbeat> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await relay.StartAsync(cancellationToken);
        foreach (var departure in await presence.ResetNodeAsync(socketOptions.Value.NodeId, cancellationToken))
        {
            await AnnounceAsync(departure, cancellationToken);
        }

        await presence.HeartbeatAsync(socketOptions.Value.NodeId, cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(presenceOptions.Value.HeartbeatInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await presence.HeartbeatAsync(socketOptions.Value.NodeId, stoppingToken);
                foreach (var departure in await presence.SweepAsync(stoppingToken))
                {
                    await AnnounceAsync(departure, stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogHeartbeatFailed(logger, e);
            }
        }
    }

    private async Task AnnounceAsync(PresenceDeparture departure, CancellationToken cancellationToken)
    {
        var count = (await presence.ListAsync(departure.Room, cancellationToken)).Count;
        var evt = new PresenceEvent(departure.Room, departure.User, "left", count);
        await bus.PublishAsync(new ChatEvent(ChatEventTypes.Presence, departure.Room, ChatJson.ToElement(evt)), cancellationToken);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Presence heartbeat failed; retrying on the next tick")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception);
}
