using System.Text.Json;
using Chatroom.Core.Agents;
using Chatroom.Core.Chat;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chatroom.Redis.Agents;

/// <summary>Agent definitions as JSON in one hash (name → definition).</summary>
public sealed class RedisAgentStore(IConnectionMultiplexer redis, IOptions<RedisBackendOptions> options) : IAgentStore
{
    private readonly IDatabase _db = redis.GetDatabase();
    private readonly string _key = new RedisKeys(options.Value.KeyPrefix).Agents;

    public Task<IReadOnlyList<AgentDefinition>> ListAsync(CancellationToken cancellationToken) =>
        RedisPort.GuardAsync<IReadOnlyList<AgentDefinition>>(redis, cancellationToken, async () =>
        {
            var all = await _db.HashGetAllAsync(_key);
            return all.OrderBy(p => (string)p.Name!, StringComparer.Ordinal).Select(p => Parse((string)p.Value!)).ToList();
        });

    public Task<AgentDefinition?> GetAsync(string name, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
        (string?)await _db.HashGetAsync(_key, name) is { } json ? Parse(json) : null);

    public Task<bool> UpsertAsync(AgentDefinition definition, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
        await _db.HashSetAsync(_key, definition.Name, Serialize(definition)));

    public Task<bool> TryCreateAsync(AgentDefinition definition, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
        await _db.HashSetAsync(_key, definition.Name, Serialize(definition), When.NotExists));

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
        await _db.HashDeleteAsync(_key, name));

    private static string Serialize(AgentDefinition definition) => JsonSerializer.Serialize(definition, ChatJson.Options);

    private static AgentDefinition Parse(string json) =>
        JsonSerializer.Deserialize<AgentDefinition>(json, ChatJson.Options) ?? throw new JsonException("empty agent definition");
}
