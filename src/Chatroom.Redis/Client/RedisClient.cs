using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Chatroom.Redis.Client;
using Chatroom.Redis.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chatroom.Redis;

/// <summary>
/// The Redis client: one multiplexed, pipelined connection per server for commands, separate
/// connections for pub/sub and blocking reads, reconnecting on its own. Against a cluster it routes
/// by key slot and follows MOVED and ASK redirections. It exposes only typed commands the ports need.
/// </summary>
public sealed partial class RedisClient : IAsyncDisposable
{
    private const int MaxRedirects = 5;

    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<RedisEndpoint, RedisNode> _nodes = new();
    private readonly ConcurrentDictionary<RedisEndpoint, ConcurrentBag<RedisConnection>> _blocking = new();
    private readonly RedisNode _seed;
    private readonly TaskCompletionSource _modeKnown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _disposed = new();
    private RedisNode?[] _slots = [];
    private volatile bool _isCluster;
    private Task? _refresh;

    private RedisClient(RedisOptions options, ILoggerFactory loggerFactory)
    {
        Options = options;
        _logger = loggerFactory.CreateLogger<RedisClient>();
        var seedEndpoint = options.Endpoints.Count > 0 ? options.Endpoints[0] : throw new ArgumentException("No Redis endpoint given.", nameof(options));
        _seed = new RedisNode(seedEndpoint, options, _logger, onConnected: OnSeedConnectedAsync);
        _nodes[seedEndpoint] = _seed;
        Subscriber = new RedisSubscriber(this, loggerFactory.CreateLogger<RedisSubscriber>());
    }

    public RedisOptions Options { get; }

    /// <summary>True once the server turned out to be a cluster.</summary>
    public bool IsCluster => _isCluster;

    internal RedisSubscriber Subscriber { get; }

    internal ILogger Logger => _logger;

    /// <summary>Starts connecting in the background; commands wait for the first attempt, then fail fast while disconnected.</summary>
    public static RedisClient Create(RedisOptions options, ILoggerFactory? loggerFactory = null) =>
        new(options, loggerFactory ?? NullLoggerFactory.Instance);

    /// <summary>Connects and fails with <see cref="RedisConnectionException"/> when the first attempt does.</summary>
    public static async Task<RedisClient> ConnectAsync(string connectionString, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var client = Create(RedisOptions.Parse(connectionString), loggerFactory);
        try
        {
            await client.WaitUntilReadyAsync(cancellationToken);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        var command = new RedisCommand(Commands.Ping, 0);
        await ExecuteAsync(command, Parsers.Ok, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        _modeKnown.TrySetResult();
        await Subscriber.DisposeAsync();
        foreach (var node in _nodes.Values)
        {
            await node.DisposeAsync();
        }

        foreach (var bag in _blocking.Values)
        {
            while (bag.TryTake(out var connection))
            {
                await connection.DisposeAsync();
            }
        }

        _disposed.Dispose();
    }

    internal async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        if (_modeKnown.Task.IsCompleted)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            return;
        }

        await _seed.FirstAttempt.WaitAsync(cancellationToken);
        if (!_seed.IsConnected)
        {
            throw _seed.NotConnected();
        }

        try
        {
            await _modeKnown.Task.WaitAsync(Options.CommandTimeout + Options.ConnectTimeout, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new RedisConnectionException($"Redis at {_seed.Endpoint} did not finish the connection handshake in time.", e);
        }
    }

    /// <summary>Sends a command on the shared connection of the node owning its key and decodes the reply.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    internal async ValueTask<T> ExecuteAsync<T>(RedisCommand command, ReplyParser<T> parser, CancellationToken cancellationToken)
    {
        try
        {
            if (!_modeKnown.Task.IsCompleted)
            {
                await WaitUntilReadyAsync(cancellationToken);
            }

            if (!_isCluster)
            {
                var connection = _seed.TryGetConnection(out var live) ? live : await _seed.GetConnectionAsync(cancellationToken);
                return await connection.SendAsync(command, parser, asking: false, timeout: null, cancellationToken);
            }

            return await ExecuteOnClusterAsync(command, parser, blockFor: null, cancellationToken);
        }
        finally
        {
            command.Return();
        }
    }

    /// <summary>
    /// Sends a blocking command (XREADGROUP … BLOCK) on a connection of its own, so it never stalls the
    /// shared pipeline. The reply may take <paramref name="blockFor"/> plus the command timeout.
    /// </summary>
    internal async ValueTask<T> ExecuteBlockingAsync<T>(RedisCommand command, ReplyParser<T> parser, TimeSpan blockFor, CancellationToken cancellationToken)
    {
        try
        {
            if (!_modeKnown.Task.IsCompleted)
            {
                await WaitUntilReadyAsync(cancellationToken);
            }

            return _isCluster
                ? await ExecuteOnClusterAsync(command, parser, blockFor, cancellationToken)
                : await SendBlockingAsync(_seed, command, parser, blockFor, asking: false, cancellationToken);
        }
        finally
        {
            command.Return();
        }
    }

    internal async ValueTask<RespValue> EvalAsync(RedisScript script, string[] keys, object[] args, CancellationToken cancellationToken)
    {
        try
        {
            return await ExecuteAsync(BuildEval(Commands.EvalSha, script.Sha1, keys, args), Parsers.Value, cancellationToken);
        }
        catch (RedisServerException e) when (e.Prefix == "NOSCRIPT")
        {
            return await ExecuteAsync(BuildEval(Commands.Eval, script.Text, keys, args), Parsers.Value, cancellationToken);
        }
    }

    /// <summary>The node serving a key's slot (cluster) or the server (single).</summary>
    internal async ValueTask<RedisNode> NodeForKeyAsync(string key, CancellationToken cancellationToken)
    {
        if (!_modeKnown.Task.IsCompleted)
        {
            await WaitUntilReadyAsync(cancellationToken);
        }

        return _isCluster ? NodeForSlot(HashSlot.Of(key)) : _seed;
    }

    internal void RequestTopologyRefresh()
    {
        if (!_isCluster || _disposed.IsCancellationRequested)
        {
            return;
        }

        var current = Volatile.Read(ref _refresh);
        if (current is { IsCompleted: false })
        {
            return;
        }

        var next = Task.Run(() => RefreshTopologyAsync(_disposed.Token));
        Interlocked.CompareExchange(ref _refresh, next, current);
    }

    internal async Task RefreshTopologyAsync(CancellationToken cancellationToken)
    {
        Exception? last = null;
        foreach (var node in _nodes.Values.OrderByDescending(n => n.IsConnected).ToList())
        {
            if (!node.TryGetConnection(out var connection))
            {
                continue;
            }

            try
            {
                var slots = await ReadTopologyAsync(connection, cancellationToken);
                if (slots is not null)
                {
                    Volatile.Write(ref _slots, slots);
                    LogTopology(_logger, slots.Where(n => n is not null).Distinct().Count());
                    return;
                }
            }
            catch (RedisException e)
            {
                last = e;
            }
        }

        if (last is not null)
        {
            LogTopologyFailed(_logger, last.Message);
        }
    }

    private static RedisCommand BuildEval(CommandName name, string scriptOrSha, string[] keys, object[] args)
    {
        var command = new RedisCommand(name, 2 + keys.Length + args.Length, keyIndex: keys.Length > 0 ? 2 : -1);
        command.Add(scriptOrSha);
        command.Add(keys.Length);
        foreach (var key in keys)
        {
            command.Add(key);
        }

        foreach (var arg in args)
        {
            switch (arg)
            {
                case string text:
                    command.Add(text);
                    break;
                case long number:
                    command.Add(number);
                    break;
                case int number:
                    command.Add(number);
                    break;
                case byte[] bytes:
                    command.Add(bytes);
                    break;
                default:
                    command.Add(Convert.ToString(arg, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
                    break;
            }
        }

        return command;
    }

    private async ValueTask<T> ExecuteOnClusterAsync<T>(RedisCommand command, ReplyParser<T> parser, TimeSpan? blockFor, CancellationToken cancellationToken)
    {
        var key = command.RoutingKey;
        var slot = key is null ? -1 : HashSlot.Of(key);
        var node = slot < 0 ? AnyNode() : NodeForSlot(slot);
        var asking = false;
        var redirects = 0;
        var waits = 0;
        var waitingSince = 0L;
        while (true)
        {
            try
            {
                if (blockFor is { } block)
                {
                    return await SendBlockingAsync(node, command, parser, block, asking, cancellationToken);
                }

                var connection = node.TryGetConnection(out var live) ? live : await node.GetConnectionAsync(cancellationToken);
                return await connection.SendAsync(command, parser, asking, timeout: null, cancellationToken);
            }
            catch (RedisServerException e) when (redirects < MaxRedirects && e.Prefix is "MOVED" or "ASK")
            {
                redirects++;
                var (movedSlot, endpoint) = ParseRedirect(e.Message);
                node = GetOrAddNode(endpoint);
                asking = e.Prefix == "ASK";
                if (!asking)
                {
                    var slots = Volatile.Read(ref _slots);
                    if (movedSlot < slots.Length)
                    {
                        slots[movedSlot] = node;
                    }

                    RequestTopologyRefresh();
                }
            }
            catch (RedisServerException e) when (e.Prefix is "TRYAGAIN" or "CLUSTERDOWN" && MayWaitForCluster(ref waitingSince))
            {
                // TRYAGAIN: a multi-key command whose keys are split by a slot migration in progress (some
                // moved, some not, or missing); CLUSTERDOWN: a failover in progress. Both pass on their own,
                // so wait (with backoff, up to the command timeout) and start again from the slot's owner.
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(20 << Math.Min(waits++, 4), 250)), cancellationToken);
                redirects = 0;
                asking = false;
                node = slot < 0 ? AnyNode() : NodeForSlot(slot);
            }
            catch (RedisConnectionException)
            {
                // The owner may have changed (failover); the next command gets a fresh map.
                RequestTopologyRefresh();
                throw;
            }
        }
    }

    /// <summary>True while a command has been retrying TRYAGAIN/CLUSTERDOWN for less than the command timeout.</summary>
    private bool MayWaitForCluster(ref long waitingSince)
    {
        var now = Environment.TickCount64;
        if (waitingSince == 0)
        {
            waitingSince = now;
        }

        return now - waitingSince < (long)Options.CommandTimeout.TotalMilliseconds;
    }

    private async ValueTask<T> SendBlockingAsync<T>(RedisNode node, RedisCommand command, ReplyParser<T> parser, TimeSpan blockFor, bool asking, CancellationToken cancellationToken)
    {
        if (!node.IsConnected && node.FirstAttempt.IsCompleted)
        {
            throw node.NotConnected();
        }

        var idle = _blocking.GetOrAdd(node.Endpoint, static _ => []);
        if (!idle.TryTake(out var connection) || !connection.IsAlive)
        {
            connection = await RedisConnection.ConnectAsync(node.Endpoint, Options, onPush: null, onClosed: null, _logger, cancellationToken);
        }

        var reusable = false;
        try
        {
            var result = await connection.SendAsync(command, parser, asking, blockFor + Options.CommandTimeout, cancellationToken);
            reusable = true;
            return result;
        }
        catch (RedisServerException)
        {
            reusable = true;
            throw;
        }
        finally
        {
            // A cancelled or timed-out blocking command leaves the connection busy: close it.
            if (reusable && connection.IsAlive && idle.Count < 16 && !_disposed.IsCancellationRequested)
            {
                idle.Add(connection);
            }
            else
            {
                await connection.DisposeAsync();
            }
        }
    }

    private RedisNode NodeForSlot(int slot)
    {
        var slots = Volatile.Read(ref _slots);
        return slot < slots.Length && slots[slot] is { } node ? node : AnyNode();
    }

    private RedisNode AnyNode() => _nodes.Values.FirstOrDefault(n => n.IsConnected) ?? _seed;

    private RedisNode GetOrAddNode(RedisEndpoint endpoint)
    {
        if (_nodes.TryGetValue(endpoint, out var node))
        {
            return node;
        }

        var created = new RedisNode(endpoint, Options, _logger);
        if (_nodes.TryAdd(endpoint, created))
        {
            return created;
        }

        _ = created.DisposeAsync().AsTask();
        return _nodes[endpoint];
    }

    internal static (int Slot, RedisEndpoint Endpoint) ParseRedirect(string message)
    {
        // "MOVED 3999 127.0.0.1:6381" / "ASK 3999 127.0.0.1:6381"
        var parts = message.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3 || !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var slot))
        {
            throw new RedisProtocolException($"Malformed cluster redirection '{message}'.");
        }

        return (slot, RedisEndpoint.Parse(parts[2]));
    }

    private async Task OnSeedConnectedAsync(RedisNode node, RedisConnection connection, CancellationToken cancellationToken)
    {
        if (_modeKnown.Task.IsCompleted)
        {
            if (_isCluster)
            {
                RequestTopologyRefresh();
            }

            return;
        }

        RedisNode?[]? slots;
        try
        {
            slots = await ReadTopologyAsync(connection, cancellationToken);
        }
        catch (RedisServerException e) when (e.Message.Contains("cluster support disabled", StringComparison.OrdinalIgnoreCase))
        {
            slots = null;
        }

        if (slots is not null)
        {
            Volatile.Write(ref _slots, slots);
            _isCluster = true;
            LogTopology(_logger, slots.Where(n => n is not null).Distinct().Count());
        }

        _modeKnown.TrySetResult();
    }

    /// <summary>Reads slot ownership with CLUSTER SHARDS (Redis 7), or CLUSTER SLOTS on older servers.</summary>
    private async Task<RedisNode?[]?> ReadTopologyAsync(RedisConnection connection, CancellationToken cancellationToken)
    {
        var slots = new RedisNode?[HashSlot.Count];
        var shards = new RedisCommand(Commands.Cluster, 1);
        shards.Add(Commands.Shards);
        try
        {
            var reply = await connection.SendAsync(shards, Parsers.Value, asking: false, timeout: null, cancellationToken);
            foreach (var shard in reply.Items ?? [])
            {
                var ranges = Field(shard, "slots");
                var primary = Field(shard, "nodes")?.Items?.FirstOrDefault(n => Field(n, "role")?.AsString() == "master");
                if (ranges?.Items is null || primary is null)
                {
                    continue;
                }

                var host = Field(primary, "endpoint")?.AsString() is { Length: > 0 } e && e != "?" ? e : Field(primary, "ip")?.AsString();
                var port = Field(primary, Options.Ssl ? "tls-port" : "port")?.AsInt64() ?? 0;
                if (host is null || port == 0)
                {
                    continue;
                }

                var node = GetOrAddNode(new RedisEndpoint(host, (int)port));
                for (var i = 0; i + 1 < ranges.Count; i += 2)
                {
                    Assign(slots, ranges[i].AsInt64(), ranges[i + 1].AsInt64(), node);
                }
            }

            return slots;
        }
        catch (RedisServerException e) when (e.Message.Contains("unknown subcommand", StringComparison.OrdinalIgnoreCase))
        {
            // Redis before 7.0: fall back to CLUSTER SLOTS below.
        }
        finally
        {
            shards.Return();
        }

        var legacy = new RedisCommand(Commands.Cluster, 1);
        legacy.Add(Commands.Slots);
        try
        {
            var reply = await connection.SendAsync(legacy, Parsers.Value, asking: false, timeout: null, cancellationToken);
            foreach (var range in reply.Items ?? [])
            {
                var primary = range[2];
                var node = GetOrAddNode(new RedisEndpoint(primary[0].AsString()!, (int)primary[1].AsInt64()));
                Assign(slots, range[0].AsInt64(), range[1].AsInt64(), node);
            }

            return slots;
        }
        finally
        {
            legacy.Return();
        }
    }

    private static void Assign(RedisNode?[] slots, long first, long last, RedisNode node)
    {
        for (var slot = first; slot <= last && slot < slots.Length; slot++)
        {
            slots[slot] = node;
        }
    }

    private static RespValue? Field(RespValue map, string name)
    {
        for (var i = 0; i + 1 < map.Count; i += 2)
        {
            if (map[i].AsString() == name)
            {
                return map[i + 1];
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Redis cluster topology: {Primaries} primaries")]
    private static partial void LogTopology(ILogger logger, int primaries);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "Could not refresh the Redis cluster topology: {Reason}")]
    private static partial void LogTopologyFailed(ILogger logger, string reason);
}
