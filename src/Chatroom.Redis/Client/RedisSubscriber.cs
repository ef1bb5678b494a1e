using System.Collections.Concurrent;
using System.Collections.Immutable;
using Chatroom.Redis.Protocol;
using Microsoft.Extensions.Logging;

namespace Chatroom.Redis.Client;

/// <summary>
/// Pub/sub on dedicated connections: one to the single server, or one per shard owner in a cluster
/// (SSUBSCRIBE). Channels are restored after a reconnect and followed when a cluster slot moves.
/// Handlers run on the connection's reader, so they must only hand the message on.
/// </summary>
internal sealed partial class RedisSubscriber(RedisClient client, ILogger<RedisSubscriber> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ChannelState> _channels = new();
    private readonly ConcurrentDictionary<RedisEndpoint, RedisNode> _nodes = new();
    private const int MaxRedirects = 5;
    private const int MaxFollowAttempts = 20;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();

    public async Task<IAsyncDisposable> SubscribeAsync(string channel, Action<string, string> handler, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_channels.TryGetValue(channel, out var existing))
            {
                existing.Handlers = existing.Handlers.Add(handler);
                return new Subscription(this, channel, handler);
            }

            var state = new ChannelState(client.IsCluster) { Handlers = [handler] };
            await SubscribeOnOwnerAsync(channel, state, cancellationToken);
            _channels[channel] = state;
            return new Subscription(this, channel, handler);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        foreach (var node in _nodes.Values)
        {
            await node.DisposeAsync();
        }

        _gate.Dispose();
        _disposed.Dispose();
    }

    private async Task SubscribeOnOwnerAsync(string channel, ChannelState state, CancellationToken cancellationToken)
    {
        var owner = (await client.NodeForKeyAsync(channel, cancellationToken)).Endpoint;
        for (var redirects = 0; ; redirects++)
        {
            var node = _nodes.GetOrAdd(owner, endpoint =>
                new RedisNode(endpoint, client.Options, logger, OnPush, ResubscribeAsync));
            var connection = await node.GetConnectionAsync(cancellationToken);
            try
            {
                await SendAsync(connection, state.Sharded ? Commands.SSubscribe : Commands.Subscribe, channel, cancellationToken);
                state.Node = node;
                return;
            }
            catch (RedisServerException e) when (e.Prefix == "MOVED" && redirects < MaxRedirects)
            {
                // The map is behind (the slot moved): subscribe where the server points, refresh the map for later.
                owner = RedisClient.ParseRedirect(e.Message).Endpoint;
                client.RequestTopologyRefresh();
            }
        }
    }

    private static async Task SendAsync(RedisConnection connection, CommandName name, string channel, CancellationToken cancellationToken)
    {
        var command = new RedisCommand(name, 1);
        command.Add(channel);
        try
        {
            await connection.SendAsync(command, Parsers.Ok, asking: false, timeout: null, cancellationToken);
        }
        finally
        {
            command.Return();
        }
    }

    private async Task ResubscribeAsync(RedisNode node, RedisConnection connection, CancellationToken cancellationToken)
    {
        foreach (var (channel, state) in _channels)
        {
            if (state.Node == node)
            {
                await SendAsync(connection, state.Sharded ? Commands.SSubscribe : Commands.Subscribe, channel, cancellationToken);
                LogResubscribed(logger, channel, node.Endpoint.ToString());
                SignalRestored(channel, state);
            }
        }
    }

    /// <summary>
    /// Handlers receive this payload once their channel is subscribed again after a gap (reconnect, slot move):
    /// messages published during the gap were lost, so the handler may want to catch up from a durable log.
    /// </summary>
    internal const string RestoredPayload = "\u0000restored";

    private static void SignalRestored(string channel, ChannelState state)
    {
        foreach (var handler in state.Handlers)
        {
            handler(channel, RestoredPayload);
        }
    }

    private void OnPush(RespValue push)
    {
        var kind = push[0].AsString();
        var channel = push.Count > 1 ? push[1].AsString() : null;
        if (channel is null || !_channels.TryGetValue(channel, out var state))
        {
            return;
        }

        if (kind is "message" or "smessage")
        {
            var payload = push[2].AsString() ?? string.Empty;
            foreach (var handler in state.Handlers)
            {
                handler(channel, payload);
            }
        }
        else if (kind == "sunsubscribe")
        {
            // The slot moved to another shard: find the new owner and subscribe there.
            _ = Task.Run(() => FollowMovedChannelAsync(channel, state));
        }
    }

    /// <summary>
    /// Subscribes again at the channel's new owner after the server dropped it (slot moved). While a move is
    /// being announced the nodes may disagree (MOVED back and forth), so failures are retried with backoff
    /// for a while rather than leaving the channel silently unsubscribed.
    /// </summary>
    private async Task FollowMovedChannelAsync(string channel, ChannelState state)
    {
        CancellationToken token;
        try
        {
            token = _disposed.Token;
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await _gate.WaitAsync(token);
                try
                {
                    if (!_channels.TryGetValue(channel, out var current) || current != state)
                    {
                        return; // Unsubscribed meanwhile.
                    }

                    await client.RefreshTopologyAsync(token);
                    await SubscribeOnOwnerAsync(channel, state, token);
                    LogFollowed(logger, channel, state.Node?.Endpoint.ToString() ?? "?");
                    SignalRestored(channel, state);
                    return;
                }
                finally
                {
                    _gate.Release();
                }
            }
            catch (RedisException e) when (attempt < MaxFollowAttempts)
            {
                LogFollowRetry(logger, channel, e.Message);
            }
            catch (RedisException e)
            {
                LogFollowFailed(logger, channel, e.Message);
                return;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException && token.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(50 << Math.Min(attempt, 5), 1000)), token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async ValueTask UnsubscribeAsync(string channel, Action<string, string> handler)
    {
        await _gate.WaitAsync();
        try
        {
            if (!_channels.TryGetValue(channel, out var state))
            {
                return;
            }

            state.Handlers = state.Handlers.Remove(handler);
            if (!state.Handlers.IsEmpty)
            {
                return;
            }

            _channels.TryRemove(channel, out _);
            if (state.Node is { } node && node.TryGetConnection(out var connection))
            {
                try
                {
                    await SendAsync(connection, state.Sharded ? Commands.SUnsubscribe : Commands.Unsubscribe, channel, CancellationToken.None);
                }
                catch (RedisException e)
                {
                    LogUnsubscribeFailed(logger, channel, e.Message);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(EventId = 3030, Level = LogLevel.Debug, Message = "Resubscribed to {Channel} on {Endpoint}")]
    private static partial void LogResubscribed(ILogger logger, string channel, string endpoint);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Error, Message = "Gave up following channel {Channel} to its new shard: {Reason}")]
    private static partial void LogFollowFailed(ILogger logger, string channel, string reason);

    [LoggerMessage(EventId = 3033, Level = LogLevel.Information, Message = "Channel {Channel} moved; subscribed again on {Endpoint}")]
    private static partial void LogFollowed(ILogger logger, string channel, string endpoint);

    [LoggerMessage(EventId = 3034, Level = LogLevel.Warning, Message = "Could not follow channel {Channel} to its new shard yet; retrying: {Reason}")]
    private static partial void LogFollowRetry(ILogger logger, string channel, string reason);

    [LoggerMessage(EventId = 3032, Level = LogLevel.Debug, Message = "Could not unsubscribe from {Channel}: {Reason}")]
    private static partial void LogUnsubscribeFailed(ILogger logger, string channel, string reason);

    private sealed class ChannelState(bool sharded)
    {
        public bool Sharded { get; } = sharded;

        public RedisNode? Node { get; set; }

        public ImmutableArray<Action<string, string>> Handlers { get; set; }
    }

    private sealed class Subscription(RedisSubscriber subscriber, string channel, Action<string, string> handler) : IAsyncDisposable
    {
        private int _disposed;

        public ValueTask DisposeAsync() =>
            Interlocked.Exchange(ref _disposed, 1) == 0 ? subscriber.UnsubscribeAsync(channel, handler) : ValueTask.CompletedTask;
    }
}
