using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chatroom.Redis.Bus;

/// <summary>
/// Fan-out over Redis pub/sub: PUBLISH/SUBSCRIBE on a single server, sharded SPUBLISH/SSUBSCRIBE
/// (<see cref="RedisChannel.Sharded"/>) on a cluster, where a room's channel lives on the shard of its hash tag
/// and the library follows it when the slot moves. Events are JSON; each subscription hands them to its handler
/// in order from a bounded queue, dropping when the handler falls far behind (delivery is at most once; the log
/// is the record). When a subscription may have lapsed (the pub/sub connection came back, or the channel's slot
/// moved) its handler gets a <see cref="ChatEventTypes.Resync"/> event so it can catch up from the log.
/// </summary>
public sealed partial class RedisChatBus : IChatBus, IDisposable
{
    private const int MaxQueuedEvents = 10_000;

    /// <summary>How often sharded subscriptions are checked for a shard that dropped them and was not followed.</summary>
    private static readonly TimeSpan ShardCheckInterval = TimeSpan.FromSeconds(1);

    private readonly IConnectionMultiplexer _redis;
    private readonly ILogger<RedisChatBus> _logger;
    private readonly RedisKeys _keys;
    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly RedisTopology _topology;
    private int _watching;

    public RedisChatBus(IConnectionMultiplexer redis, IOptions<RedisBackendOptions> options, ILogger<RedisChatBus> logger)
    {
        _redis = redis;
        _logger = logger;
        _keys = new RedisKeys(options.Value.KeyPrefix);
        _topology = new RedisTopology(redis);
        redis.ConnectionRestored += OnConnectionRestored;
        redis.HashSlotMoved += OnHashSlotMoved;
    }

    public ValueTask PublishAsync(ChatEvent chatEvent, CancellationToken cancellationToken) => RedisPort.GuardValueAsync(_redis, cancellationToken, async () =>
    {
        var payload = Serialize(chatEvent);
        await _redis.GetSubscriber().PublishAsync(Channel(chatEvent.Room), payload);
    });

    /// <summary>The wire form of an event; the send script publishes the same form (<c>RedisMessageLog</c>).</summary>
    internal static string Serialize(ChatEvent chatEvent) => JsonSerializer.Serialize(chatEvent, ChatJson.Options);

    public async ValueTask<IAsyncDisposable> SubscribeAsync(string? room, Func<ChatEvent, ValueTask> handler, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var channel = Channel(room);
        var queue = System.Threading.Channels.Channel.CreateBounded<ChatEvent?>(new BoundedChannelOptions(MaxQueuedEvents)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropWrite,
        });
        var pump = Task.Run(() => PumpAsync(room, queue.Reader, handler), CancellationToken.None);
        ChannelMessageQueue messages;
        try
        {
            // A queue rather than a handler: the library runs handlers concurrently on the thread pool, a queue keeps order.
            messages = await _redis.GetSubscriber().SubscribeAsync(channel);
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            queue.Writer.TryComplete();
            await pump;
            throw RedisPort.Unavailable(e);
        }

        var subscription = new Subscription(this, room, channel, messages, queue.Writer, pump);
        messages.OnMessage(message =>
        {
            ChatEvent? chatEvent;
            try
            {
                chatEvent = JsonSerializer.Deserialize<ChatEvent>((string)message.Message!, ChatJson.Options);
            }
            catch (JsonException e)
            {
                LogHandlerFailed(_logger, e, room);
                return;
            }

            subscription.Enqueue(chatEvent);
        });
        _subscriptions[subscription] = 0;
        if (channel.IsSharded)
        {
            WatchShardedSubscriptions();
        }

        return subscription;
    }

    public void Dispose()
    {
        _redis.ConnectionRestored -= OnConnectionRestored;
        _redis.HashSlotMoved -= OnHashSlotMoved;
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private RedisChannel Channel(string? room)
    {
        var name = room is null ? _keys.GlobalChannel : _keys.RoomChannel(room);
        return _topology.IsCluster() ? RedisChannel.Sharded(name) : RedisChannel.Literal(name);
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        // Subscriptions ride the subscription connection (on RESP3, the interactive one). The library subscribes
        // again by itself, but what was published meanwhile is lost: handlers catch up from the log.
        if (e.ConnectionType == ConnectionType.Subscription || (e.ConnectionType == ConnectionType.Interactive && RedisTopology.IsResp3(_redis, e.EndPoint)))
        {
            _ = SignalResyncAsync(_ => true, e.EndPoint);
        }
    }

    private void OnHashSlotMoved(object? sender, HashSlotMovedEventArgs e)
    {
        // A sharded channel whose slot moved was dropped by its old shard before the library took it up at the new one.
        _ = SignalResyncAsync(s => s.Channel.IsSharded && _redis.HashSlot(s.Channel.ToString()) == e.HashSlot, e.NewEndPoint);
    }

    private async Task SignalResyncAsync(Func<Subscription, bool> affected, System.Net.EndPoint? endPoint)
    {
        var lapsed = _subscriptions.Keys.Where(affected).ToList();
        if (lapsed.Count == 0)
        {
            return;
        }

        try
        {
            // The library sent the SUBSCRIBE commands before raising the event; a PING on the subscriber answers
            // after them, so the catch-up reads start once the channels are live again.
            await _redis.GetSubscriber().PingAsync();
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException or ObjectDisposedException)
        {
            LogResyncPingFailed(_logger, e.Message);
        }

        // The subscription connection can be back before the interactive one, and the handlers catch up by reading the
        // log over the interactive one: a read then failed with "no connection" and the catch-up was lost (seen in the
        // Redis-restart fault test, the interactive connection came back 0.9 s after the subscription).
        await WaitForInteractiveAsync(endPoint);
        LogResync(_logger, lapsed.Count, endPoint?.ToString() ?? "?");
        foreach (var subscription in lapsed)
        {
            subscription.Enqueue(new ChatEvent(ChatEventTypes.Resync, subscription.Room, default));
        }
    }

    /// <summary>Returns once a PING on the interactive connection (of <paramref name="endPoint"/> when known) is answered, or the bus stops.</summary>
    private async Task WaitForInteractiveAsync(System.Net.EndPoint? endPoint)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await (endPoint is null ? _redis.GetDatabase().PingAsync() : _redis.GetServer(endPoint).PingAsync());
                return;
            }
            catch (Exception e) when (e is RedisException or RedisTimeoutException or ArgumentException)
            {
                LogResyncPingFailed(_logger, e.Message);
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            try
            {
                await Task.Delay(delay, _stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
        }
    }

    private void WatchShardedSubscriptions()
    {
        if (Interlocked.CompareExchange(ref _watching, 1, 0) == 0)
        {
            _ = Task.Run(WatchShardedSubscriptionsAsync, CancellationToken.None);
        }
    }

    /// <summary>
    /// The library follows a sharded channel when its old shard drops it, but gives up if the nodes still disagree
    /// about the slot's owner at that moment (each answers MOVED to the other). A subscription left without a server
    /// while Redis is reachable makes the library reload the cluster map, which subscribes it again at the new owner;
    /// its handler then catches up from the log. Runs while there are sharded subscriptions.
    /// </summary>
    private async Task WatchShardedSubscriptionsAsync()
    {
        var lapsed = new HashSet<Subscription>();
        try
        {
            var stopping = _stopping.Token;
            while (true)
            {
                await Task.Delay(ShardCheckInterval, stopping);
                var sharded = _subscriptions.Keys.Where(s => s.Channel.IsSharded).ToList();
                if (sharded.Count == 0)
                {
                    Volatile.Write(ref _watching, 0);
                    if (!_subscriptions.Keys.Any(s => s.Channel.IsSharded) || Interlocked.CompareExchange(ref _watching, 1, 0) != 0)
                    {
                        return;
                    }

                    continue;
                }

                var subscriber = _redis.GetSubscriber();
                var orphans = sharded.Where(s => subscriber.SubscribedEndpoint(s.Channel) is null).ToHashSet();
                foreach (var restored in lapsed.Where(s => !orphans.Contains(s)).ToList())
                {
                    lapsed.Remove(restored);
                    restored.Enqueue(new ChatEvent(ChatEventTypes.Resync, restored.Room, default));
                }

                lapsed.RemoveWhere(s => !_subscriptions.ContainsKey(s));
                if (orphans.Count > 0 && _redis.IsConnected)
                {
                    lapsed.UnionWith(orphans);
                    LogOrphanedShardSubscriptions(_logger, orphans.Count);
                    try
                    {
                        await _redis.ConfigureAsync();
                    }
                    catch (Exception e) when (e is RedisException or RedisTimeoutException)
                    {
                        // Redis went away meanwhile: tried again on the next round.
                        LogMapReloadFailed(_logger, e.Message);
                    }
                }
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException)
        {
            // The bus or the multiplexer was disposed (shutdown): nothing left to watch.
        }
    }

    private async Task PumpAsync(string? room, ChannelReader<ChatEvent?> reader, Func<ChatEvent, ValueTask> handler)
    {
        await foreach (var chatEvent in reader.ReadAllAsync())
        {
            if (chatEvent is null)
            {
                continue;
            }

            try
            {
                await handler(chatEvent);
            }
            catch (Exception e)
            {
                LogHandlerFailed(_logger, e, room);
            }
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Error, Message = "A chat bus handler for room {Room} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string? room);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Dropped a chat bus event for room {Room}: its handler is too far behind")]
    private static partial void LogDropped(ILogger logger, string? room);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "{Count} chat bus subscriptions may have lapsed ({Endpoint}); their handlers catch up from the log")]
    private static partial void LogResync(ILogger logger, int count, string endpoint);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Debug, Message = "Could not confirm the resubscription before a resync: {Reason}")]
    private static partial void LogResyncPingFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Warning, Message = "Could not reload the cluster map for the chat bus: {Reason}")]
    private static partial void LogMapReloadFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "{Count} sharded chat bus subscriptions have no shard; reloading the cluster map")]
    private static partial void LogOrphanedShardSubscriptions(ILogger logger, int count);

    private sealed class Subscription(
        RedisChatBus bus, string? room, RedisChannel channel, ChannelMessageQueue messages, ChannelWriter<ChatEvent?> writer, Task pump) : IAsyncDisposable
    {
        private int _disposed;

        public string? Room { get; } = room;

        public RedisChannel Channel { get; } = channel;

        public void Enqueue(ChatEvent? chatEvent)
        {
            if (!writer.TryWrite(chatEvent) && Volatile.Read(ref _disposed) == 0)
            {
                LogDropped(bus._logger, Room);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            bus._subscriptions.TryRemove(this, out _);
            try
            {
                await messages.UnsubscribeAsync();
            }
            catch (Exception e) when (e is RedisException or RedisTimeoutException)
            {
                // Redis is gone: the subscription went with the connection, and the library forgets the queue regardless.
            }

            writer.TryComplete();
            await pump;
        }
    }
}
