using System.Globalization;
using System.Text.Json;
using Chatroom.Core.Agents;
using Chatroom.Core.Chat;
using Chatroom.Redis.Caching;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chatroom.Redis.Agents;

/// <summary>
/// Topic watches as JSON in one hash (room + topic → watch), ids from a counter beside it, both under <c>{agents}</c>.
/// The agents worker lists them for every message: with a <see cref="NodeStateCache"/> (as registered) the list is kept in
/// memory and dropped when a watch is added or removed on any node.
/// </summary>
public sealed class RedisTopicWatchStore(IConnectionMultiplexer redis, IOptions<RedisBackendOptions> options, NodeStateCache? cache = null) : ITopicWatchStore
{
    // KEYS: watches, sequence. ARGV: field, room, topic, created by, created at ms.
    private const string AddScript = """
        local existing = redis.call('HGET', KEYS[1], ARGV[1])
        if existing then return existing end
        local id = redis.call('INCR', KEYS[2])
        local json = cjson.encode({id = id, room = ARGV[2], topic = ARGV[3], createdBy = ARGV[4], createdAt = ARGV[5]})
        redis.call('HSET', KEYS[1], ARGV[1], json)
        return json
        """;

    private readonly IDatabase _db = redis.GetDatabase();
    private readonly RedisKeys _keys = new(options.Value.KeyPrefix);

    public Task<TopicWatch> AddAsync(string room, string topic, string createdBy, DateTimeOffset now, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
        {
            var json = await _db.ScriptEvaluateAsync(AddScript, [_keys.TopicWatches, _keys.TopicWatchSequence],
                [Field(room, topic), room, topic, createdBy, now.ToUnixTimeMilliseconds()]);
            await ChangedAsync(room);
            return Parse((string)json!);
        });

    public Task<bool> RemoveAsync(string room, string topic, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
    {
        var removed = await _db.HashDeleteAsync(_keys.TopicWatches, Field(room, topic));
        await ChangedAsync(room);
        return removed;
    });

    public Task<IReadOnlyList<TopicWatch>> ListAsync(CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, () =>
        cache is null ? ReadAllAsync() : cache.GetOrReadAsync(NodeStateCache.TopicWatchesKey, ReadAllAsync));

    private async Task<IReadOnlyList<TopicWatch>> ReadAllAsync() =>
        (await _db.HashValuesAsync(_keys.TopicWatches)).Select(v => Parse((string)v!)).OrderBy(w => w.Id).ToList();

    private Task ChangedAsync(string room) =>
        cache?.ChangedAsync(new StateChange(StateChange.TopicWatchesScope, room, null)) ?? Task.CompletedTask;

    private static string Field(string room, string topic) => room + "\n" + topic;

    private static TopicWatch Parse(string json)
    {
        var stored = JsonSerializer.Deserialize<StoredWatch>(json, ChatJson.Options) ?? throw new JsonException("empty topic watch");
        return new TopicWatch(stored.Id, stored.Room, stored.Topic, stored.CreatedBy,
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(stored.CreatedAt, CultureInfo.InvariantCulture)));
    }

    /// <summary>The JSON the script writes (cjson: the time stays a string, so no precision is lost).</summary>
    private sealed record StoredWatch(long Id, string Room, string Topic, string CreatedBy, string CreatedAt);
}
