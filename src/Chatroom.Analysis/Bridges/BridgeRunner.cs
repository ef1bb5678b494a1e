using System.Net.WebSockets;
using System.Threading.Channels;
using Chatroom.Core.Bridges;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Core.Messages;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Bridges;

/// <summary>
/// One configured bridge on this node: waits in standby until it holds the bridge's lease, then keeps a WebSocket to the
/// peer open for as long as it holds it, reconnecting with jittered exponential back-off. It renews the lease a third of
/// the way through; a node that cannot renew stops at once, so two nodes never both carry the bridge for long, and when
/// the holder dies its lease runs out and a standby node takes over. The state it reports is what the admin page shows.
/// </summary>
public sealed partial class BridgeRunner(
    string name,
    BridgeOptions bridge,
    string node,
    IBridgeStore store,
    IMessageLog log,
    IChatBus bus,
    SendAdmission admission,
    IOptions<ChatOptions> chat,
    BridgeMetrics metrics,
    TimeProvider time,
    ILogger logger)
{
    private readonly TimeSpan _renewEvery = bridge.LeaseDuration / 3;
    private BridgeStatus _status = new(name, bridge.DisplayUrl, BridgeStates.Standby, null, null, null, null, 0, 0, 0, time.GetUtcNow());
    private (long In, long Out, long Dropped) _before;
    private BridgeInbound? _inbound;
    private BridgeOutbox? _outbox;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ListAsync(stoppingToken);
            while (true)
            {
                if (await TryHoldAsync(stoppingToken))
                {
                    await HoldAsync(stoppingToken);

                    // After an unexpected failure, not at once: a fault that persists must not become a busy loop.
                    await Task.Delay(bridge.InitialBackoff, time, stoppingToken);
                }
                else
                {
                    await Task.Delay(_renewEvery, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>A bridge nobody has run yet is listed (standby) from the first node that knows it.</summary>
    private async Task ListAsync(CancellationToken cancellationToken)
    {
        try
        {
            if ((await store.ListStatusesAsync(cancellationToken)).All(s => s.Name != name))
            {
                await store.SaveStatusAsync(_status, cancellationToken);
            }
        }
        catch (Core.Errors.BackendUnavailableException e)
        {
            LogStoreFailed(logger, e, name);
        }
    }

    private async Task<bool> TryHoldAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await store.TryHoldAsync(name, node, bridge.LeaseDuration, cancellationToken);
        }
        catch (Core.Errors.BackendUnavailableException e)
        {
            LogStoreFailed(logger, e, name);
            return false;
        }
    }

    private async Task HoldAsync(CancellationToken stoppingToken)
    {
        LogHolding(logger, name, node);
        using var holding = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        _inbound = new BridgeInbound(name, bridge, admission, chat, metrics, time, logger);
        _outbox = new BridgeOutbox(name, bridge, log, store, metrics);
        var previous = await PreviousStatusAsync(stoppingToken);
        _before = previous is null ? default : (previous.MessagesIn, previous.MessagesOut, previous.Dropped);
        _status = _status with { Holder = node, MessagesIn = _before.In, MessagesOut = _before.Out, Dropped = _before.Dropped };
        var keeping = KeepLeaseAsync(holding);
        try
        {
            // Subscribed before the first read of the logs, so nothing stored in between is missed.
            var subscriptions = new List<IAsyncDisposable>();
            try
            {
                foreach (var room in bridge.RoomMap.Keys)
                {
                    subscriptions.Add(await bus.SubscribeAsync(room, e => Wake(e, room, wake), holding.Token));
                }

                await ConnectAsync(wake, holding.Token);
            }
            finally
            {
                foreach (var subscription in subscriptions)
                {
                    await subscription.DisposeAsync();
                }
            }
        }
        catch (OperationCanceledException) when (holding.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogHoldFailed(logger, e, name);
        }
        finally
        {
            await holding.CancelAsync();
            await keeping;
            metrics.SetConnected(name, false);
            if (stoppingToken.IsCancellationRequested)
            {
                await StepDownAsync();
            }
        }
    }

    private ValueTask Wake(ChatEvent chatEvent, string room, Channel<bool> wake)
    {
        if (chatEvent.Type is ChatEventTypes.Message or ChatEventTypes.Resync)
        {
            _outbox?.MarkDue(room);
            wake.Writer.TryWrite(true);
        }

        return ValueTask.CompletedTask;
    }

    private async Task ConnectAsync(Channel<bool> wake, CancellationToken cancellationToken)
    {
        var failures = 0;
        var uri = new Uri(bridge.Url!);
        while (true)
        {
            await ReportAsync(_status with { State = BridgeStates.Connecting }, cancellationToken);
            string error;
            using (var socket = new ClientWebSocket())
            {
                socket.Options.KeepAliveInterval = bridge.PingInterval;
                socket.Options.KeepAliveTimeout = bridge.PingInterval * 2;
                if (bridge.AuthHeader is { Name: { } header, Value: { } value })
                {
                    socket.Options.SetRequestHeader(header, value);
                }

                error = await ConnectOnceAsync(socket, uri, cancellationToken) ?? await RunConnectedAsync(socket, wake, cancellationToken, () => failures = 0);
            }

            failures++;
            var wait = BridgeBackoff.Delay(failures, bridge.InitialBackoff, bridge.MaxBackoff, Random.Shared);
            LogDisconnected(logger, name, error, wait.TotalSeconds);
            await ReportAsync(_status with { State = BridgeStates.Backoff, ConnectedSince = null, LastError = error, LastErrorAt = time.GetUtcNow() }, cancellationToken);
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    /// <summary>Null when connected, else why not.</summary>
    private async Task<string?> ConnectOnceAsync(ClientWebSocket socket, Uri uri, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(bridge.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
            metrics.Connecting(name, connected: true);
            return null;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.Connecting(name, connected: false);
            return e is OperationCanceledException ? $"no connection within {bridge.ConnectTimeout.TotalSeconds:0.#} s" : Describe(e);
        }
    }

    /// <summary>Carries messages until the connection ends; says why it ended.</summary>
    private async Task<string> RunConnectedAsync(ClientWebSocket socket, Channel<bool> wake, CancellationToken cancellationToken, Action connected)
    {
        connected();
        LogConnected(logger, name, bridge.DisplayUrl);
        metrics.SetConnected(name, true);
        await ReportAsync(_status with { State = BridgeStates.Connected, ConnectedSince = time.GetUtcNow() }, cancellationToken);
        try
        {
            await new BridgeConnection(name, bridge, socket, _inbound!, _outbox!, wake, time).RunAsync(cancellationToken);
            return "the peer closed the connection";
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return Describe(e);
        }
        finally
        {
            metrics.SetConnected(name, false);
        }
    }

    /// <summary>Renews the lease until told to stop; cancels <paramref name="holding"/> when the lease is lost (or cannot be confirmed in time).</summary>
    private async Task KeepLeaseAsync(CancellationTokenSource holding)
    {
        var renewed = time.GetUtcNow();
        try
        {
            while (true)
            {
                await Task.Delay(_renewEvery, time, holding.Token);
                bool held;
                try
                {
                    held = await store.TryHoldAsync(name, node, bridge.LeaseDuration, holding.Token);
                }
                catch (Core.Errors.BackendUnavailableException e)
                {
                    LogStoreFailed(logger, e, name);
                    held = time.GetUtcNow() - renewed < bridge.LeaseDuration - _renewEvery;
                    if (held)
                    {
                        continue;
                    }
                }

                if (!held)
                {
                    LogLeaseLost(logger, name, node);
                    await holding.CancelAsync();
                    return;
                }

                renewed = time.GetUtcNow();
                await ReportAsync(_status, holding.Token);
            }
        }
        catch (OperationCanceledException) when (holding.IsCancellationRequested)
        {
        }
    }

    /// <summary>Stores the state with the counters as they are now; a store that is down only costs the admin page a refresh.</summary>
    private async Task ReportAsync(BridgeStatus status, CancellationToken cancellationToken)
    {
        _status = status with
        {
            MessagesIn = _before.In + (_inbound?.Posted ?? 0),
            MessagesOut = _before.Out + (_outbox?.Sent ?? 0),
            Dropped = _before.Dropped + (_inbound?.Dropped ?? 0),
            UpdatedAt = time.GetUtcNow(),
        };
        try
        {
            await store.SaveStatusAsync(_status, cancellationToken);
        }
        catch (Core.Errors.BackendUnavailableException e)
        {
            LogStoreFailed(logger, e, name);
        }
    }

    private async Task<BridgeStatus?> PreviousStatusAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await store.ListStatusesAsync(cancellationToken)).FirstOrDefault(s => s.Name == name);
        }
        catch (Core.Errors.BackendUnavailableException e)
        {
            LogStoreFailed(logger, e, name);
            return null;
        }
    }

    /// <summary>A clean stop: the lease is given up at once, so another node need not wait for it to run out.</summary>
    private async Task StepDownAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await ReportAsync(_status with { State = BridgeStates.Standby, Holder = null, ConnectedSince = null }, timeout.Token);
            await store.ReleaseAsync(name, node, timeout.Token);
            LogReleased(logger, name, node);
        }
        catch (Exception e) when (e is Core.Errors.BackendUnavailableException or OperationCanceledException)
        {
            LogStoreFailed(logger, e, name);
        }
    }

    private static string Describe(Exception e) => e is WebSocketException { InnerException: { } inner } ? $"{e.Message} ({inner.Message})" : e.Message;

    [LoggerMessage(EventId = 4760, Level = LogLevel.Information, Message = "Bridge {Bridge}: node {Node} holds it now")]
    private static partial void LogHolding(ILogger logger, string bridge, string node);

    [LoggerMessage(EventId = 4761, Level = LogLevel.Information, Message = "Bridge {Bridge}: connected to {Url}")]
    private static partial void LogConnected(ILogger logger, string bridge, string url);

    [LoggerMessage(EventId = 4762, Level = LogLevel.Warning, Message = "Bridge {Bridge}: disconnected ({Error}); next try in {Seconds:0.0} s")]
    private static partial void LogDisconnected(ILogger logger, string bridge, string error, double seconds);

    [LoggerMessage(EventId = 4763, Level = LogLevel.Warning, Message = "Bridge {Bridge}: node {Node} lost its lease; it stops carrying the bridge")]
    private static partial void LogLeaseLost(ILogger logger, string bridge, string node);

    [LoggerMessage(EventId = 4764, Level = LogLevel.Information, Message = "Bridge {Bridge}: node {Node} gave its lease up")]
    private static partial void LogReleased(ILogger logger, string bridge, string node);

    [LoggerMessage(EventId = 4765, Level = LogLevel.Warning, Message = "Bridge {Bridge}: the bridge store is unavailable")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string bridge);

    [LoggerMessage(EventId = 4766, Level = LogLevel.Error, Message = "Bridge {Bridge}: stopped carrying the bridge after an unexpected error; it is taken up again")]
    private static partial void LogHoldFailed(ILogger logger, Exception exception, string bridge);
}
