using System.Text.Json;
using Chatroom.Core.Chat;
using Chatroom.Core.GuardianCases;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chatroom.Redis.GuardianCases;

/// <summary>Contact restrictions as JSON in one hash (user id → restriction) under <c>{guardian}</c>.</summary>
public sealed class RedisContactRestrictionStore(IConnectionMultiplexer redis, IOptions<RedisBackendOptions> options) : IContactRestrictionStore
{
    private readonly IDatabase _db = redis.GetDatabase();
    private readonly RedisKeys _keys = new(options.Value.KeyPrefix);

    public Task RestrictAsync(ContactRestriction restriction, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, () =>
        _db.HashSetAsync(_keys.ContactRestrictions, restriction.UserId, JsonSerializer.Serialize(restriction, ChatJson.Options)));

    public Task<ContactRestriction?> GetAsync(string userId, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
        await _db.HashGetAsync(_keys.ContactRestrictions, userId) is { IsNull: false } json
            ? JsonSerializer.Deserialize<ContactRestriction>((string)json!, ChatJson.Options)
            : null);

    public Task<bool> LiftAsync(string userId, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
        await _db.HashDeleteAsync(_keys.ContactRestrictions, userId));
}
