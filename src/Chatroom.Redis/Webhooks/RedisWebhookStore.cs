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

    public Task<bool> DisableSubscriptionAsync(string id, string reason, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
        {
            // Read, change, write: only an admin action or a 410 disables, and both set the same state.
            if (await _db.HashGetAsync(Subscriptions, id) is not { IsNull: false } json)
            {
                return false;
            }

            var disabled = Parse<WebhookSubscription>(json) with { Enabled = false, DisabledReason = reason };
            await _db.HashSetAsync(Subscriptions, id, Serialize(disabled));
            return true;
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
