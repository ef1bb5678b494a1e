using System.Collections.Concurrent;
using System.Text.Json;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chatroom.Redis.Caching;

/// <summary>
/// What every send (and the agents worker, for every message) would otherwise read from Redis — a room's state, a
/// user's ban and mute in it, the topic watches — kept in this process. Filled on first use; every write through the
/// Redis stores drops its entries here and announces a <see cref="ChatEventTypes.StateChanged"/> on the global channel,
/// which drops them on every other node. While the bus subscription is down (and until its resync) nothing is served
/// from memory, and the resync empties the cache: invalidations missed meanwhile cannot leave stale state. A short
/// <see cref="RedisBackendOptions.StateCacheTtl"/> bounds what a lost invalidation could cost; the size is bounded by
/// <see cref="RedisBackendOptions.StateCacheMaxEntries"/> (when full, the cache starts over).
/// </summary>
public sealed partial class NodeStateCache : IAsyncDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly IChatBus _bus;
    private readonly ILogger<NodeStateCache> _logger;
    private readonly TimeSpan _ttl;
    private readonly int _maxEntries;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _subscribing = new(1, 1);
    private IAsyncDisposable? _subscription;
    private long _generation;
    private volatile bool _live;

    public NodeStateCache(IConnectionMultiplexer redis, IChatBus bus, IOptions<RedisBackendOptions> options, ILogger<NodeStateCache> logger)
    {
        _redis = redis;
        _bus = bus;
        _logger = logger;
        _ttl = options.Value.StateCacheTtl;
        _maxEntries = options.Value.StateCacheMaxEntries;
        redis.ConnectionFailed += OnConnectionFailed;
    }

    /// <summary>Entries held now (for tests and diagnostics).</summary>
    public int Count => _entries.Count;

    internal static string RoomKey(string room) => "r\n" + room;

    internal static string BanKey(string room, string userId) => "b\n" + room + "\n" + userId;

    internal static string MuteKey(string room, string userId) => "m\n" + room + "\n" + userId;

    internal const string TopicWatchesKey = "w";

    /// <summary>The cached value of <paramref name="key"/>, or what <paramref name="read"/> returns (kept unless something changed meanwhile).</summary>
    internal async Task<T> GetOrReadAsync<T>(string key, Func<Task<T>> read)
    {
        if (_ttl <= TimeSpan.Zero || !await EnsureLiveAsync())
        {
            return await read();
        }

        if (_entries.TryGetValue(key, out var entry) && Environment.TickCount64 - entry.FilledAt < (long)_ttl.TotalMilliseconds)
        {
            return (T)entry.Value!;
        }

        // A change announced while the read was out may be older than what it returns: then the value is used once, not kept.
        var generation = Interlocked.Read(ref _generation);
        var value = await read();
        if (_live && Interlocked.Read(ref _generation) == generation)
        {
            if (_entries.Count >= _maxEntries)
            {
                _entries.Clear();
            }

            _entries[key] = new Entry(value, Environment.TickCount64);
        }

        return value;
    }

    /// <summary>
    /// After a write: drops the entries here at once, then tells the other nodes. A write whose announcement fails stays
    /// written (the caller is not told otherwise); other nodes then see it within the TTL.
    /// </summary>
    internal async Task ChangedAsync(StateChange change)
    {
        Drop(change);
        try
        {
            await _bus.PublishAsync(new ChatEvent(ChatEventTypes.StateChanged, null, ChatJson.ToElement(change)), CancellationToken.None);
        }
        catch (BackendUnavailableException e)
        {
            LogAnnounceFailed(_logger, e, change.Scope, change.Room);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _redis.ConnectionFailed -= OnConnectionFailed;
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }

        _subscribing.Dispose();
    }

    private async ValueTask<bool> EnsureLiveAsync()
    {
        if (_subscription is not null)
        {
            return _live;
        }

        await _subscribing.WaitAsync();
        try
        {
            if (_subscription is null)
            {
                _subscription = await _bus.SubscribeAsync(null, OnEventAsync, CancellationToken.None);
                _live = true;
            }
        }
        catch (BackendUnavailableException)
        {
            // No subscription, no invalidations: read through until Redis is back.
            return false;
        }
        finally
        {
            _subscribing.Release();
        }

        return _live;
    }

    private ValueTask OnEventAsync(ChatEvent chatEvent)
    {
        if (chatEvent.Type == ChatEventTypes.Resync)
        {
            // The subscription lapsed and is back: whatever changed meanwhile was not announced here.
            Clear();
            _live = true;
            LogResynced(_logger);
        }
        else if (chatEvent.Type == ChatEventTypes.StateChanged && chatEvent.Data.ValueKind == JsonValueKind.Object
            && chatEvent.Data.Deserialize<StateChange>(ChatJson.Options) is { } change)
        {
            Drop(change);
        }

        return ValueTask.CompletedTask;
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        // Invalidations ride the subscription connection (the interactive one with RESP3): until the bus resyncs, serve nothing.
        if (e.ConnectionType == ConnectionType.Subscription || RedisTopology.IsResp3(_redis, e.EndPoint))
        {
            _live = false;
            Clear();
        }
    }

    private void Drop(StateChange change)
    {
        Interlocked.Increment(ref _generation);
        switch (change.Scope)
        {
            case StateChange.BanScope when change.Room is not null && change.UserId is not null:
                _entries.TryRemove(BanKey(change.Room, change.UserId), out _);
                break;
            case StateChange.MuteScope when change.Room is not null && change.UserId is not null:
                _entries.TryRemove(MuteKey(change.Room, change.UserId), out _);
                break;
            case StateChange.RoomScope when change.Room is not null:
                // Created, changed or deleted: its bans and mutes go too (a deleted room's are gone from Redis).
                _entries.TryRemove(RoomKey(change.Room), out _);
                foreach (var key in _entries.Keys)
                {
                    if (key.Length > change.Room.Length + 2 && key[1] == '\n' && key.AsSpan(2).StartsWith(change.Room + "\n", StringComparison.Ordinal))
                    {
                        _entries.TryRemove(key, out _);
                    }
                }

                break;
            case StateChange.TopicWatchesScope:
                _entries.TryRemove(TopicWatchesKey, out _);
                break;
            default:
                _entries.Clear();
                break;
        }
    }

    private void Clear()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "A {Scope} change of room {Room} was written but not announced to the other nodes; they see it within the cache TTL")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception exception, string scope, string? room);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "The node state cache was emptied after the bus subscription lapsed")]
    private static partial void LogResynced(ILogger logger);

    private sealed record Entry(object? Value, long FilledAt);
}
