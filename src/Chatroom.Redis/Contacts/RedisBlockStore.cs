using System.Globalization;
using Chatroom.Core.Contacts;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chatroom.Redis.Contacts;

/// <summary>Blocks as one hash per blocker (<c>{blocks:user}</c>): blocked user id → when, in ms.</summary>
public sealed class RedisBlockStore(IConnectionMultiplexer redis, IOptions<RedisBackendOptions> options) : IBlockStore
{
    private readonly IDatabase _db = redis.GetDatabase();
    private readonly RedisKeys _keys = new(options.Value.KeyPrefix);

    public Task<bool> BlockAsync(string userId, string blockedUserId, DateTimeOffset at, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, () => _db.HashSetAsync(_keys.Blocks(userId), blockedUserId,
            at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), When.NotExists));

    public Task<bool> UnblockAsync(string userId, string blockedUserId, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, () => _db.HashDeleteAsync(_keys.Blocks(userId), blockedUserId));

    public Task<bool> IsBlockedAsync(string userId, string blockedUserId, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, () => _db.HashExistsAsync(_keys.Blocks(userId), blockedUserId));

    public Task<IReadOnlyList<string>> ListAsync(string userId, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync<IReadOnlyList<string>>(redis, cancellationToken, async () =>
            [.. (await _db.HashKeysAsync(_keys.Blocks(userId))).Select(k => (string)k!).Order(StringComparer.Ordinal)]);
}
