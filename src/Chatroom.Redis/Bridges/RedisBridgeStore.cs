using System.Text.Json;
using Chatroom.Core.Bridges;
using Chatroom.Core.Chat;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chatroom.Redis.Bridges;

/// <summary>
/// Bridges on Redis, under the hash tag <c>{bridges}</c> (one cluster slot): a lease key per bridge holding its node
/// (<c>SET NX PX</c>, renewed and released by scripts that check the owner, so a node never extends or drops a lease
/// another node took after its own ran out), the holders' states as JSON in one hash, and the cursors in another.
/// </summary>
public sealed class RedisBridgeStore(IConnectionMultiplexer redis, IOptions<RedisBackendOptions> options) : IBridgeStore
{
    // KEYS: lease. ARGV: node, ttl ms. Takes a free lease or renews the caller's own; 1 when the caller holds it after.
    private const string HoldScript = """
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
        if redis.call('GET', KEYS[1]) == ARGV[1] then
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return 1
        end
        return 0
        """;

    // KEYS: lease. ARGV: node. Deletes the lease only when the caller holds it.
    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    // KEYS: cursors. ARGV: field, id. Moves the cursor forward only.
    private const string AdvanceScript = """
        local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '-1')
        if tonumber(ARGV[2]) > current then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
        return 1
        """;

    private readonly IDatabase _db = redis.GetDatabase();
    private readonly string _root = $"{options.Value.KeyPrefix}:{{bridges}}";

    private RedisKey Statuses => $"{_root}:status";

    private RedisKey Cursors => $"{_root}:cursors";

    private RedisKey Lease(string bridge) => $"{_root}:lease:{bridge}";

    public Task<bool> TryHoldAsync(string bridge, string node, TimeSpan ttl, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
            (long)await _db.ScriptEvaluateAsync(HoldScript, [Lease(bridge)], [node, (long)ttl.TotalMilliseconds]) == 1);

    public Task ReleaseAsync(string bridge, string node, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, () => _db.ScriptEvaluateAsync(ReleaseScript, [Lease(bridge)], [node]));

    public Task<string?> GetHolderAsync(string bridge, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () => (string?)await _db.StringGetAsync(Lease(bridge)));

    public Task SaveStatusAsync(BridgeStatus status, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, () => _db.HashSetAsync(Statuses, status.Name, JsonSerializer.Serialize(status, ChatJson.Options)));

    public Task<IReadOnlyList<BridgeStatus>> ListStatusesAsync(CancellationToken cancellationToken) =>
        RedisPort.GuardAsync<IReadOnlyList<BridgeStatus>>(redis, cancellationToken, async () =>
            (await _db.HashValuesAsync(Statuses)).Select(v => JsonSerializer.Deserialize<BridgeStatus>((string)v!, ChatJson.Options)!)
                .OrderBy(s => s.Name, StringComparer.Ordinal).ToList());

    public Task<long?> GetCursorAsync(string bridge, string room, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
            await _db.HashGetAsync(Cursors, CursorField(bridge, room)) is { IsNull: false } id ? (long?)(long)id : null);

    public Task AdvanceCursorAsync(string bridge, string room, long messageId, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, () => _db.ScriptEvaluateAsync(AdvanceScript, [Cursors], [CursorField(bridge, room), messageId]));

    /// <summary>Bridge names hold no newline (configuration keys), so the pair is unambiguous.</summary>
    private static string CursorField(string bridge, string room) => $"{bridge}\n{room}";
}
