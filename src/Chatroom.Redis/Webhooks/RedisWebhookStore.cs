using System.Text.Json;
using Chatroom.Core.Chat;
using Chatroom.Core.Webhooks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chatroom.Redis.Webhooks;

/// <summary>
/// Outgoing webhooks on Redis, all under the hash tag <c>{webhooks}</c> (one cluster slot, so the scripts stay atomic):
/// subscriptions and deliveries as JSON in two hashes, the schedule as a sorted set of pending delivery ids by due time,
/// and one sorted set per subscription of its deliveries by creation time (the delivery log).
/// </summary>
public sealed class RedisWebhookStore(IConnectionMultiplexer redis, IOptions<RedisBackendOptions> options) : IWebhookStore
{
    // KEYS: deliveries, due, by-subscription. ARGV: id, json, due ms, created ms. Adds only a delivery not stored yet.
    private const string EnqueueScript = """
        if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
            redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
        end
        return 1
        """;

    // KEYS: deliveries, due. ARGV: now ms, lease end ms, max. Due ids move to the lease's end; their JSON is returned.
    private const string ClaimScript = """
        local ids = redis.call('ZRANGE', KEYS[2], '-inf', ARGV[1], 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[3]))
        local out = {}
        for _, id in ipairs(ids) do
            redis.call('ZADD', KEYS[2], ARGV[2], id)
            local json = redis.call('HGET', KEYS[1], id)
            if json then table.insert(out, json) else redis.call('ZREM', KEYS[2], id) end
        end
        return out
        """;

    // KEYS: deliveries, due, by-subscription. ARGV: id, json, due ms (empty when no longer pending), created ms.
    private const string SaveScript = """
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
        if ARGV[3] == '' then redis.call('ZREM', KEYS[2], ARGV[1]) else redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1]) end
        return 1
        """;

    // KEYS: deliveries, due, by-subscription. ARGV: created-before ms, max. Finished deliveries of one log, oldest first.
    private const string PruneScript = """
        local ids = redis.call('ZRANGE', KEYS[3], '-inf', '(' .. ARGV[1], 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[2]))
        local removed = 0
        for _, id in ipairs(ids) do
            local json = redis.call('HGET', KEYS[1], id)
            if not json then
                redis.call('ZREM', KEYS[3], id)
            elseif cjson.decode(json)['status'] ~= 'pending' then
                redis.call('HDEL', KEYS[1], id)
                redis.call('ZREM', KEYS[3], id)
                redis.call('ZREM', KEYS[2], id)
                removed = removed + 1
            end
        end
        return removed
        """;

    // KEYS: subscriptions, deliveries, due, by-subscription. ARGV: id. The subscription, then every delivery in its log.
    private const string DeleteScript = """
        if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
        local ids = redis.call('ZRANGE', KEYS[4], 0, -1)
        for i = 1, #ids, 500 do
            local batch = {unpack(ids, i, math.min(i + 499, #ids))}
            redis.call('HDEL', KEYS[2], unpack(batch))
            redis.call('ZREM', KEYS[3], unpack(batch))
        end
        redis.call('DEL', KEYS[4])
        return 1
        """;

    private readonly IDatabase _db = redis.GetDatabase();
    private readonly string _root = $"{options.Value.KeyPrefix}:{{webhooks}}";

    private RedisKey Subscriptions => $"{_root}:subscriptions";

    private RedisKey Deliveries => $"{_root}:deliveries";

    private RedisKey Due => $"{_root}:due";

    private RedisKey BySubscription(string id) => $"{_root}:log:{id}";

    public Task AddSubscriptionAsync(WebhookSubscription subscription, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, () => _db.HashSetAsync(Subscriptions, subscription.Id, Serialize(subscription)));

    public Task<IReadOnlyList<WebhookSubscription>> ListSubscriptionsAsync(CancellationToken cancellationToken) =>
        RedisPort.GuardAsync<IReadOnlyList<WebhookSubscription>>(redis, cancellationToken, async () =>
            (await _db.HashValuesAsync(Subscriptions)).Select(v => Parse<WebhookSubscription>(v))
                .OrderBy(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal).ToList());

    public Task<WebhookSubscription?> GetSubscriptionAsync(string id, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
            await _db.HashGetAsync(Subscriptions, id) is { IsNull: false } json ? Parse<WebhookSubscription>(json) : null);

    public Task<bool> SetSecretAsync(string id, string secret, CancellationToken cancellationToken) =>
        ChangeSubscriptionAsync(id, found => found with { Secret = secret }, cancellationToken);

    public Task<bool> DeleteSubscriptionAsync(string id, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
            (long)await _db.ScriptEvaluateAsync(DeleteScript, [Subscriptions, Deliveries, Due, BySubscription(id)], [id]) == 1);

    public Task<bool> DisableSubscriptionAsync(string id, string reason, CancellationToken cancellationToken) =>
        ChangeSubscriptionAsync(id, found => found with { Enabled = false, DisabledReason = reason }, cancellationToken);

    /// <summary>
    /// Each subscription's log in turn (the logs are where deliveries are ordered by age); a deleted subscription's log
    /// went with it.
    /// </summary>
    public Task<int> PruneDeliveriesAsync(DateTimeOffset createdBefore, int max, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
        {
            var removed = 0;
            foreach (var id in await _db.HashKeysAsync(Subscriptions))
            {
                if (removed >= max)
                {
                    break;
                }

                removed += (int)(long)await _db.ScriptEvaluateAsync(PruneScript, [Deliveries, Due, BySubscription(id!)],
                    [createdBefore.ToUnixTimeMilliseconds(), max - removed]);
            }

            return removed;
        });

    /// <summary>
    /// Read, change, write only if nobody wrote in between (a rotation racing a 410 must not lose either), else again.
    /// </summary>
    private Task<bool> ChangeSubscriptionAsync(string id, Func<WebhookSubscription, WebhookSubscription> change, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (await _db.HashGetAsync(Subscriptions, id) is not { IsNull: false } json)
                {
                    return false;
                }

                var transaction = _db.CreateTransaction();
                transaction.AddCondition(Condition.HashEqual(Subscriptions, id, json));
                _ = transaction.HashSetAsync(Subscriptions, id, Serialize(change(Parse<WebhookSubscription>(json))));
                if (await transaction.ExecuteAsync())
                {
                    return true;
                }
            }
        });

    public Task EnqueueAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
        {
            foreach (var delivery in deliveries)
            {
                await _db.ScriptEvaluateAsync(EnqueueScript, [Deliveries, Due, BySubscription(delivery.SubscriptionId)],
                    [delivery.Id, Serialize(delivery), delivery.NextAttemptAt.ToUnixTimeMilliseconds(), delivery.CreatedAt.ToUnixTimeMilliseconds()]);
            }

            return deliveries.Count;
        });

    public Task<IReadOnlyList<WebhookDelivery>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync<IReadOnlyList<WebhookDelivery>>(redis, cancellationToken, async () =>
        {
            var result = (RedisResult[])(await _db.ScriptEvaluateAsync(ClaimScript, [Deliveries, Due],
                [now.ToUnixTimeMilliseconds(), (now + lease).ToUnixTimeMilliseconds(), max]))!;
            return result.Select(r => Parse<WebhookDelivery>((RedisValue)r)).ToList();
        });

    public Task SaveAsync(WebhookDelivery delivery, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, () => _db.ScriptEvaluateAsync(SaveScript, [Deliveries, Due, BySubscription(delivery.SubscriptionId)],
        [
            delivery.Id, Serialize(delivery),
            delivery.Status == WebhookDeliveryStatus.Pending ? delivery.NextAttemptAt.ToUnixTimeMilliseconds() : string.Empty,
            delivery.CreatedAt.ToUnixTimeMilliseconds(),
        ]));

    public Task<WebhookDelivery?> GetDeliveryAsync(string id, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
            await _db.HashGetAsync(Deliveries, id) is { IsNull: false } json ? Parse<WebhookDelivery>(json) : null);

    public Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string subscriptionId, int limit, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync<IReadOnlyList<WebhookDelivery>>(redis, cancellationToken, async () =>
        {
            var ids = await _db.SortedSetRangeByRankAsync(BySubscription(subscriptionId), 0, limit - 1, Order.Descending);
            if (ids.Length == 0)
            {
                return [];
            }

            var values = await _db.HashGetAsync(Deliveries, ids);
            return values.Where(v => !v.IsNull).Select(v => Parse<WebhookDelivery>(v))
                .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id, StringComparer.Ordinal).ToList();
        });

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, ChatJson.Options);

    private static T Parse<T>(RedisValue json) => JsonSerializer.Deserialize<T>((string)json!, ChatJson.Options)!;
}
