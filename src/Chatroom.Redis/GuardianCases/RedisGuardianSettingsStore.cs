using System.Text.Json;
using Chatroom.Core.Chat;
using Chatroom.Core.GuardianCases;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chatroom.Redis.GuardianCases;

/// <summary>The guardian agent's admin-set settings as one JSON string under <c>{guardian}</c>.</summary>
public sealed class RedisGuardianSettingsStore(IConnectionMultiplexer redis, IOptions<RedisBackendOptions> options) : IGuardianSettingsStore
{
    private readonly IDatabase _db = redis.GetDatabase();
    private readonly RedisKeys _keys = new(options.Value.KeyPrefix);

    public Task<GuardianSettings?> GetAsync(CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
        await _db.StringGetAsync(_keys.GuardianSettings) is { IsNull: false } json
            ? JsonSerializer.Deserialize<GuardianSettings>((string)json!, ChatJson.Options)
            : null);

    public Task SaveAsync(GuardianSettings settings, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, () =>
        _db.StringSetAsync(_keys.GuardianSettings, JsonSerializer.Serialize(settings, ChatJson.Options)));

    public Task<bool> ResetAsync(CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, () =>
        _db.KeyDeleteAsync(_keys.GuardianSettings));
}
