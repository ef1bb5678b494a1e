using Chatroom.Core.Presence;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chatroom.Redis.Presence;

/// <summary>
/// Presence under one hash tag (<c>{presence}</c>), changed only by one Lua script so every change is
/// atomic: connections, per-room members with per-user connection counts, and per node the connections
/// it holds. A node's heartbeat is a key that expires after the node timeout; a sweep removes the
/// connections of nodes whose heartbeat is gone and reports who left which room.
/// </summary>
public sealed class RedisPresenceStore(IConnectionMultiplexer redis, IOptions<PresenceOptions> presenceOptions, IOptions<RedisBackendOptions> options) : IPresenceStore
{
    // Values are joined with \31 (unit separator): conns = node,user,name; room = user,name,node.
    private const string Script = """
        local p = ARGV[1]
        local op = ARGV[2]
        local SEP = '\31'

        local function split(v)
          local out = {}
          for part in string.gmatch(v .. SEP, '([^' .. SEP .. ']*)' .. SEP) do table.insert(out, part) end
          return out
        end

        local function leave(room, conn)
          local roomKey = p .. ':room:' .. room
          local v = redis.call('HGET', roomKey, conn)
          if not v then return nil end
          redis.call('HDEL', roomKey, conn)
          redis.call('SREM', p .. ':croom:' .. conn, room)
          local f = split(v)
          local counts = p .. ':ruser:' .. room
          if redis.call('HINCRBY', counts, f[1], -1) <= 0 then
            redis.call('HDEL', counts, f[1])
            return f
          end
          return false
        end

        local function disconnect(conn, departures)
          local left = {}
          for _, room in ipairs(redis.call('SMEMBERS', p .. ':croom:' .. conn)) do
            local gone = leave(room, conn)
            if gone then
              table.insert(left, room)
              if departures then table.insert(departures, {room, gone[1], gone[2]}) end
            end
          end
          redis.call('DEL', p .. ':croom:' .. conn)
          local v = redis.call('HGET', p .. ':conns', conn)
          if v then
            local f = split(v)
            redis.call('HDEL', p .. ':conns', conn)
            if redis.call('HINCRBY', p .. ':users', f[2], -1) <= 0 then redis.call('HDEL', p .. ':users', f[2]) end
            redis.call('SREM', p .. ':node:' .. f[1], conn)
          end
          return left
        end

        local function drop(node, departures)
          for _, conn in ipairs(redis.call('SMEMBERS', p .. ':node:' .. node)) do
            disconnect(conn, departures)
          end
          redis.call('DEL', p .. ':node:' .. node)
          redis.call('SREM', p .. ':nodes', node)
        end

        if op == 'connect' then
          local conn, node, user, name = ARGV[3], ARGV[4], ARGV[5], ARGV[6]
          if redis.call('HSETNX', p .. ':conns', conn, node .. SEP .. user .. SEP .. name) == 1 then
            redis.call('HINCRBY', p .. ':users', user, 1)
          end
          redis.call('SADD', p .. ':node:' .. node, conn)
          redis.call('SADD', p .. ':nodes', node)
          return 1
        elseif op == 'join' then
          local room, conn, node, user, name = ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
          local roomKey = p .. ':room:' .. room
          local known = redis.call('HEXISTS', roomKey, conn)
          redis.call('HSET', roomKey, conn, user .. SEP .. name .. SEP .. node)
          redis.call('SADD', p .. ':croom:' .. conn, room)
          redis.call('SADD', p .. ':node:' .. node, conn)
          redis.call('SADD', p .. ':nodes', node)
          if known == 1 then return 0 end
          if redis.call('HINCRBY', p .. ':ruser:' .. room, user, 1) == 1 then return 1 end
          return 0
        elseif op == 'leave' then
          local v = redis.call('HGET', p .. ':room:' .. ARGV[3], ARGV[4])
          if not v then return 0 end
          local gone = leave(ARGV[3], ARGV[4])
          if gone then return 1 end
          return 0
        elseif op == 'disconnect' then
          return disconnect(ARGV[3], nil)
        elseif op == 'beat' then
          redis.call('SET', p .. ':alive:' .. ARGV[3], '1', 'PX', ARGV[4])
          redis.call('SADD', p .. ':nodes', ARGV[3])
          return 1
        elseif op == 'sweep' then
          local departures = {}
          for _, node in ipairs(redis.call('SMEMBERS', p .. ':nodes')) do
            if redis.call('EXISTS', p .. ':alive:' .. node) == 0 then
              drop(node, departures)
            end
          end
          return departures
        elseif op == 'reset' then
          local departures = {}
          drop(ARGV[3], departures)
          return departures
        end
        return redis.error_reply('unknown presence operation ' .. op)
        """;

    private readonly IDatabase _db = redis.GetDatabase();
    private readonly RedisKeys _keys = new(options.Value.KeyPrefix);
    private readonly PresenceOptions _presence = presenceOptions.Value;

    public ValueTask ConnectAsync(PresenceEntry entry, CancellationToken cancellationToken) => RedisPort.GuardValueAsync(redis, cancellationToken, async () =>
    {
        await RunAsync(["connect", entry.ConnectionId, entry.Node, entry.UserId, entry.UserName]);
    });

    public ValueTask<IReadOnlyList<string>> DisconnectAsync(string connectionId, CancellationToken cancellationToken) =>
        RedisPort.GuardValueAsync<IReadOnlyList<string>>(redis, cancellationToken, async () =>
            ((string?[]?)await RunAsync(["disconnect", connectionId]) ?? []).Select(r => r!).ToList());

    public ValueTask<bool> JoinAsync(string room, PresenceEntry entry, CancellationToken cancellationToken) => RedisPort.GuardValueAsync(redis, cancellationToken, async () =>
        (long)await RunAsync(["join", room, entry.ConnectionId, entry.Node, entry.UserId, entry.UserName]) == 1);

    public ValueTask<bool> LeaveAsync(string room, string connectionId, CancellationToken cancellationToken) => RedisPort.GuardValueAsync(redis, cancellationToken, async () =>
        (long)await RunAsync(["leave", room, connectionId]) == 1);

    public ValueTask<IReadOnlyList<PresentUser>> ListAsync(string room, CancellationToken cancellationToken) =>
        RedisPort.GuardValueAsync<IReadOnlyList<PresentUser>>(redis, cancellationToken, async () =>
        {
            var members = await _db.HashValuesAsync(_keys.PresenceRoom(room));
            return members
                .Select(v => ((string)v!).Split('\u001f'))
                .DistinctBy(f => f[0])
                .Select(f => new PresentUser(f[0], f.Length > 1 ? f[1] : string.Empty))
                .OrderBy(u => u.Name, StringComparer.OrdinalIgnoreCase)
                .ToList();
        });

    public ValueTask<long> CountUsersAsync(CancellationToken cancellationToken) =>
        RedisPort.GuardValueAsync(redis, cancellationToken, () => _db.HashLengthAsync(_keys.PresenceUsers));

    public ValueTask HeartbeatAsync(string node, CancellationToken cancellationToken) => RedisPort.GuardValueAsync(redis, cancellationToken, async () =>
    {
        await RunAsync(["beat", node, (long)_presence.NodeTimeout.TotalMilliseconds]);
    });

    public ValueTask<IReadOnlyList<PresenceDeparture>> SweepAsync(CancellationToken cancellationToken) =>
        RedisPort.GuardValueAsync<IReadOnlyList<PresenceDeparture>>(redis, cancellationToken, async () => Departures(await RunAsync(["sweep"])));

    public ValueTask<IReadOnlyList<PresenceDeparture>> ResetNodeAsync(string node, CancellationToken cancellationToken) =>
        RedisPort.GuardValueAsync<IReadOnlyList<PresenceDeparture>>(redis, cancellationToken, async () => Departures(await RunAsync(["reset", node])));

    private static IReadOnlyList<PresenceDeparture> Departures(RedisResult value) =>
        ((RedisResult[]?)value ?? []).Select(d => new PresenceDeparture((string)d[0]!, new PresentUser((string)d[1]!, (string?)d[2] ?? string.Empty))).ToList();

    private Task<RedisResult> RunAsync(RedisValue[] args) =>
        _db.ScriptEvaluateAsync(Script, [_keys.PresenceConnections], [_keys.Presence, .. args]);
}
