using System.Text.Json;
using Chatroom.Core.Agents;
using Chatroom.Core.Chat;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chatroom.Redis.Agents;

/// <summary>
/// Running discussions as JSON in one hash (room → discussion) under <c>{agents}</c>. Claims and updates are Lua scripts,
/// so two analysis nodes cannot both take a discussion. The lease is kept as milliseconds beside the JSON state.
/// </summary>
public sealed class RedisDiscussionStore(IConnectionMultiplexer redis, IOptions<RedisBackendOptions> options) : IDiscussionStore
{
    // KEYS: discussions. ARGV: room, owner, now ms, lease-until ms, new state JSON. Returns the claimed JSON or nil.
    private const string ClaimScript = """
        local json = redis.call('HGET', KEYS[1], ARGV[1])
        if not json then return false end
        local lease = redis.call('HGET', KEYS[1], ARGV[1] .. '\nlease')
        local owner = redis.call('HGET', KEYS[1], ARGV[1] .. '\nowner')
        if owner and owner ~= ARGV[2] and lease and tonumber(lease) > tonumber(ARGV[3]) then return false end
        redis.call('HSET', KEYS[1], ARGV[1] .. '\nowner', ARGV[2], ARGV[1] .. '\nlease', ARGV[4])
        return json
        """;

    // KEYS: discussions. ARGV: room, owner, lease-until ms, new state JSON. Returns 1 when the owner still holds it.
    private const string UpdateScript = """
        if redis.call('HGET', KEYS[1], ARGV[1] .. '\nowner') ~= ARGV[2] then return 0 end
        if not redis.call('HGET', KEYS[1], ARGV[1]) then return 0 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[4], ARGV[1] .. '\nlease', ARGV[3])
        return 1
        """;

    // KEYS: discussions. ARGV: room. Returns the removed JSON or nil.
    private const string RemoveScript = """
        local json = redis.call('HGET', KEYS[1], ARGV[1])
        if not json then return false end
        redis.call('HDEL', KEYS[1], ARGV[1], ARGV[1] .. '\nowner', ARGV[1] .. '\nlease')
        return json
        """;

    private readonly IDatabase _db = redis.GetDatabase();
    private readonly RedisKeys _keys = new(options.Value.KeyPrefix);

    public Task<bool> TryStartAsync(DiscussionState discussion, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
        (long)await _db.ScriptEvaluateAsync(StartScript, [_keys.Discussions], [discussion.Room, Serialize(discussion with { Owner = null, LeaseUntil = null })]) == 1);

    public Task<DiscussionState?> GetAsync(string room, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
    {
        var all = await HashAsync();
        return all.TryGetValue(room, out var json) ? WithLease(Parse(json), all) : null;
    });

    public Task<IReadOnlyList<DiscussionState>> ListAsync(CancellationToken cancellationToken) => RedisPort.GuardAsync<IReadOnlyList<DiscussionState>>(redis, cancellationToken, async () =>
    {
        var all = await HashAsync();
        return all.Where(e => !e.Key.Contains('\n', StringComparison.Ordinal)).Select(e => WithLease(Parse(e.Value), all)).OrderBy(d => d.Room, StringComparer.Ordinal).ToList();
    });

    public Task<DiscussionState?> TryClaimAsync(string room, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
        {
            var json = (string?)await _db.ScriptEvaluateAsync(ClaimScript, [_keys.Discussions],
                [room, owner, now.ToUnixTimeMilliseconds(), leaseUntil.ToUnixTimeMilliseconds()]);
            return json is null ? null : Parse(json) with { Owner = owner, LeaseUntil = DateTimeOffset.FromUnixTimeMilliseconds(leaseUntil.ToUnixTimeMilliseconds()) };
        });

    public Task<bool> UpdateAsync(string room, string owner, int turnsTaken, long lastMessageId, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
        {
            var current = await GetAsync(room, cancellationToken);
            if (current is null || current.Owner != owner)
            {
                return false;
            }

            var state = Serialize(current with { TurnsTaken = turnsTaken, LastMessageId = lastMessageId, Owner = null, LeaseUntil = null });
            return (long)await _db.ScriptEvaluateAsync(UpdateScript, [_keys.Discussions], [room, owner, leaseUntil.ToUnixTimeMilliseconds(), state]) == 1;
        });

    public Task<DiscussionState?> RemoveAsync(string room, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
    {
        var json = (string?)await _db.ScriptEvaluateAsync(RemoveScript, [_keys.Discussions], [room]);
        return json is null ? null : Parse(json);
    });

    // KEYS: discussions. ARGV: room, state JSON. Returns 1 when stored, 0 when the room has a discussion.
    private const string StartScript = """
        return redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
        """;

    private async Task<Dictionary<string, string>> HashAsync() =>
        (await _db.HashGetAllAsync(_keys.Discussions)).ToDictionary(e => (string)e.Name!, e => (string)e.Value!, StringComparer.Ordinal);

    private static DiscussionState WithLease(DiscussionState state, Dictionary<string, string> all) =>
        state with
        {
            Owner = all.TryGetValue(state.Room + "\nowner", out var owner) ? owner : null,
            LeaseUntil = all.TryGetValue(state.Room + "\nlease", out var lease) && long.TryParse(lease, System.Globalization.CultureInfo.InvariantCulture, out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : null,
        };

    private static string Serialize(DiscussionState state) => JsonSerializer.Serialize(state, ChatJson.Options);

    private static DiscussionState Parse(string json) =>
        JsonSerializer.Deserialize<DiscussionState>(json, ChatJson.Options) ?? throw new JsonException("empty discussion");
}
