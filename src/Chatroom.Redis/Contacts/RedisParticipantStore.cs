using System.Text.Json;
using Chatroom.Core.Chat;
using Chatroom.Core.Contacts;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chatroom.Redis.Contacts;

/// <summary>Participant profiles as JSON in one hash (user id → profile), so a room's members are one HMGET.</summary>
public sealed class RedisParticipantStore(IConnectionMultiplexer redis, IOptions<RedisBackendOptions> options) : IParticipantStore
{
    private readonly IDatabase _db = redis.GetDatabase();
    private readonly RedisKeys _keys = new(options.Value.KeyPrefix);

    public Task SetAsync(ParticipantProfile profile, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
        await _db.HashSetAsync(_keys.Participants, profile.UserId, JsonSerializer.Serialize(profile, ChatJson.Options)));

    public async Task<ParticipantProfile?> GetAsync(string userId, CancellationToken cancellationToken) =>
        (await GetManyAsync([userId], cancellationToken)).GetValueOrDefault(userId);

    public Task<IReadOnlyDictionary<string, ParticipantProfile>> GetManyAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync<IReadOnlyDictionary<string, ParticipantProfile>>(redis, cancellationToken, async () =>
        {
            var profiles = new Dictionary<string, ParticipantProfile>(StringComparer.Ordinal);
            if (userIds.Count == 0)
            {
                return profiles;
            }

            var values = await _db.HashGetAsync(_keys.Participants, userIds.Select(id => (RedisValue)id).ToArray());
            foreach (var value in values)
            {
                if (value.HasValue && JsonSerializer.Deserialize<ParticipantProfile>((string)value!, ChatJson.Options) is { } profile)
                {
                    profiles[profile.UserId] = profile;
                }
            }

            return profiles;
        });

    public Task<bool> RemoveAsync(string userId, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
        await _db.HashDeleteAsync(_keys.Participants, userId));
}
