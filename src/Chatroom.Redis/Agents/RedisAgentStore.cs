using System.Text.Json;
using Chatroom.Core.Agents;
using Chatroom.Core.Chat;
using Microsoft.Extensions.Options;

namespace Chatroom.Redis.Agents;

/// <summary>Agent definitions as JSON in one hash (name → definition).</summary>
public sealed class RedisAgentStore(RedisClient client, IOptions<RedisBackendOptions> options) : IAgentStore
{
    private readonly string _key = new RedisKeys(options.Value.KeyPrefix).Agents;

    public Task<IReadOnlyList<AgentDefinition>> ListAsync(CancellationToken cancellationToken) =>
        RedisPort.GuardAsync<IReadOnlyList<AgentDefinition>>(async () =>
        {
            var all = await client.HashGetAllAsync(_key, cancellationToken);
            return all.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => Parse(p.Value)).ToList();
        });

    public Task<AgentDefinition?> GetAsync(string name, CancellationToken cancellationToken) => RedisPort.GuardAsync(async () =>
        await client.HashGetAsync(_key, name, cancellationToken) is { } json ? Parse(json) : null);

    public Task<bool> UpsertAsync(AgentDefinition definition, CancellationToken cancellationToken) => RedisPort.GuardAsync(async () =>
        await client.HashSetAsync(_key, [new(definition.Name, Serialize(definition))], cancellationToken) == 1);

    public Task<bool> TryCreateAsync(AgentDefinition definition, CancellationToken cancellationToken) => RedisPort.GuardAsync(async () =>
        await client.HashSetIfMissingAsync(_key, definition.Name, Serialize(definition), cancellationToken));

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => RedisPort.GuardAsync(async () =>
        await client.HashDeleteAsync(_key, name, cancellationToken) == 1);

    private static string Serialize(AgentDefinition definition) => JsonSerializer.Serialize(definition, ChatJson.Options);

    private static AgentDefinition Parse(string json) =>
        JsonSerializer.Deserialize<AgentDefinition>(json, ChatJson.Options) ?? throw new JsonException("empty agent definition");
}
