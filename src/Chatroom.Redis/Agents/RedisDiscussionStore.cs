using System.Text.Json;
using Chatroom.Core.Agents;
using Chatroom.Core.Chat;
using Chatroom.Redis.Client;
using Microsoft.Extensions.Options;

namespace Chatroom.Redis.Agents;

/// <summary>
/// Running discussions as JSON in one hash (room → discussion) under <c>{agents}</c>. Claims and updates are Lua scripts,
/// so two analysis nodes cannot both take a discussion. The lease is kept as milliseconds beside the JSON state.
/// </summary>
public sealed class RedisDiscussionStore(RedisClient client, IOptions<RedisBackendOptions> options) : IDiscussionStore
{
    // KEYS: discussions. ARGV: room, owner, now ms, lease-until ms, new state JSON. Returns the claimed JSON or nil.
    private static readonly RedisScript ClaimScript = new("""
        local json = redis.call('HGET', KEYS[1], ARGV[1])
        if not json then return false end
        local lease = redis.call('HGET', KEYS[1], ARGV[1] .. '\nlease')
        local owner = redis.call('HGET', KEYS[1], ARGV[1] .. '\nowner')
        if owner and owner ~= ARGV[2] and lease and tonumber(lease) > tonumber(ARGV[3]) then return false end
        redis.call('HSET', KEYS[1], ARGV[1] .. '\nowner', ARGV[2], ARGV[1] .. '\nlease', ARGV[4])
        return json
        """);

    // KEYS: discussions. ARGV: room, owner, lease-until ms, new state JSON. Returns 1 when the owner still holds it.
    private static readonly RedisScript UpdateScript = new("""
        if redis.call('HGET', KEYS[1], ARGV[1] .. '\nowner') ~= ARGV[2] then return 0 end
        if not redis.call('HGET', KEYS[1], ARGV[1]) then return 0 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[4], ARGV[1] .. '\nlease', ARGV[3])
        return 1
        """);

    // KEYS: discussions. ARGV: room. Returns the removed JSON or nil.
    private static readonly RedisScript RemoveScript = new("""
        local json = redis.call('HGET', KEYS[1], ARGV[1])
        if not json then return false end
        redis.call('HDEL', KEYS[1], ARGV[1], ARGV[1] .. '\nowner', ARGV[1] .. '\nlease')
        return json
        """);

    private readonly RedisKeys _keys = new(options.Value.KeyPrefix);

    public Task<bool> TryStartAsync(DiscussionState discussion, CancellationToken cancellationToken) => RedisPort.GuardAsync(async () =>
        (await client.EvalAsync(StartScript, [_keys.Discussions], [discussion.Room, Serialize(discussion with { Owner = null, LeaseUntil = null })], cancellationToken)).AsString() == "1");

    public Task<DiscussionState?> GetAsync(string room, CancellationToken cancellationToken) => RedisPort.GuardAsync(async () =>
    {
        var all = await client.HashGetAllAsync(_keys.Discussions, cancellationToken);
        return all.TryGetValue(room, out var json) ? WithLease(Parse(json), all) : null;
    });

    public Task<IReadOnlyList<DiscussionState>> ListAsync(CancellationToken cancellationToken) => RedisPort.GuardAsync<IReadOnlyList<DiscussionState>>(async () =>
    {
        var all = await client.HashGetAllAsync(_keys.Discussions, cancellationToken);
        return all.Where(e => !e.Key.Contains('\n', StringComparison.Ordinal)).Select(e => WithLease(Parse(e.Value), all)).OrderBy(d => d.Room, StringComparer.Ordinal).ToList();
    });

    public Task<DiscussionState?> TryClaimAsync(string room, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(async () =>
        {
            var json = (await client.EvalAsync(ClaimScript, [_keys.Discussions],
                [room, owner, now.ToUnixTimeMilliseconds(), leaseUntil.ToUnixTimeMilliseconds()], cancellationToken)).AsString();
            return json is null ? null : Parse(json) with { Owner = owner, LeaseUntil = DateTimeOffset.FromUnixTimeMilliseconds(leaseUntil.ToUnixTimeMilliseconds()) };
        });

    public Task<bool> UpdateAsync(string room, string owner, int turnsTaken, long lastMessageId, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(async () =>
        {
            var current = await GetAsync(room, cancellationToken);
            if (current is null || current.Owner != owner)
            {
                return false;
            }

            var state = Serialize(current with { TurnsTaken = turnsTaken, LastMessageId = lastMessageId, Owner = null, LeaseUntil = null });
            return (await client.EvalAsync(UpdateScript, [_keys.Discussions], [room, owner, leaseUntil.ToUnixTimeMilliseconds(), state], cancellationToken)).AsString() == "1";
        });

    public Task<DiscussionState?> RemoveAsync(string room, CancellationToken cancellationToken) => RedisPort.GuardAsync(async () =>
    {
        var json = (await client.EvalAsync(RemoveScript, [_keys.Discussions], [room], cancellationToken)).AsString();
        return json is null ? null : Parse(json);
    });

    // KEYS: discussions. ARGV: room, state JSON. Returns 1 when stored, 0 when the room has a discussion.
    private static readonly RedisScript StartScript = new("""
        return redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
        """);

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
