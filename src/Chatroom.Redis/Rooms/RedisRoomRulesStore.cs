using System.Globalization;
using Chatroom.Core.Rooms;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chatroom.Redis.Rooms;

/// <summary>
/// A room's written rules as a hash in the room's hash tag (<c>{room:name}:rules</c>), one of the keys the room's
/// deletion removes, and never read by a send.
/// </summary>
public sealed class RedisRoomRulesStore(IConnectionMultiplexer redis, IOptions<RedisBackendOptions> options) : IRoomRulesStore
{
    private readonly IDatabase _db = redis.GetDatabase();
    private readonly RedisKeys _keys = new(options.Value.KeyPrefix);

    public Task<RoomRules?> GetAsync(string room, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
    {
        var fields = (await _db.HashGetAllAsync(_keys.RoomRules(room))).ToStringDictionary();
        return fields.TryGetValue("text", out var text)
            ? new RoomRules(room, text, fields.GetValueOrDefault("updatedBy", string.Empty),
                DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(fields.GetValueOrDefault("updatedAt", "0"), CultureInfo.InvariantCulture)))
            : null;
    });

    public Task SetAsync(RoomRules rules, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
    {
        await _db.HashSetAsync(_keys.RoomRules(rules.Room),
        [
            new HashEntry("text", rules.Text),
            new HashEntry("updatedBy", rules.UpdatedBy),
            new HashEntry("updatedAt", rules.UpdatedAt.ToUnixTimeMilliseconds()),
        ]);
        return true;
    });

    public Task<bool> ClearAsync(string room, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, () =>
        _db.KeyDeleteAsync(_keys.RoomRules(room)));
}
