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
    ConnectionRegistry connections,
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
        var recovering = false;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await presence.HeartbeatAsync(socketOptions.Value.NodeId, stoppingToken);
                if (recovering)
                {
                    await ReRegisterAsync(stoppingToken);
                    recovering = false;
                }

                foreach (var departure in await presence.SweepAsync(stoppingToken))
                {
                    await AnnounceAsync(departure, stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Missed heartbeats may let another node sweep this node's entries away: put them back once the store answers.
                recovering = true;
                LogHeartbeatFailed(logger, e);
            }
        }
    }

    /// <summary>Registers every local connection and room membership again; announces users who had dropped out.</summary>
    private async Task ReRegisterAsync(CancellationToken cancellationToken)
    {
        var node = socketOptions.Value.NodeId;
        foreach (var (connectionId, state) in connections.Snapshot())
        {
            var entry = new PresenceEntry(connectionId, state.Identity.UserId, state.Identity.Name, node);
            await presence.ConnectAsync(entry, cancellationToken);
            foreach (var room in state.Rooms())
            {
                if (await presence.JoinAsync(room, entry, cancellationToken))
                {
                    var count = (await presence.ListAsync(room, cancellationToken)).Count;
                    var evt = new PresenceEvent(room, new PresentUser(entry.UserId, entry.UserName), "joined", count);
                    await bus.PublishAsync(new ChatEvent(ChatEventTypes.Presence, room, ChatJson.ToElement(evt)), cancellationToken);
                }
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
