using System.Globalization;
using System.Text.Json;
using Chatroom.Core.Chat;
using Chatroom.Core.GuardianCases;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chatroom.Redis.GuardianCases;

/// <summary>
/// Guardian cases as JSON in one hash (id → case) under <c>{guardian}</c>, with the id counter and the window → id hash
/// beside it, so opening (de-duplicate, number, store) is one atomic script and updates are compare-and-set on the JSON.
/// </summary>
public sealed class RedisGuardianCaseStore(IConnectionMultiplexer redis, IOptions<RedisBackendOptions> options) : IGuardianCaseStore
{
    /// <summary>How many of the newest cases a filtered list looks through.</summary>
    private const int MaxScanned = 5000;

    // KEYS: cases, sequence, windows. ARGV: window key, case JSON starting with {"id":0, (the id replaces the 0).
    private const string OpenScript = """
        local existing = redis.call('HGET', KEYS[3], ARGV[1])
        if existing then return {0, redis.call('HGET', KEYS[1], existing)} end
        local id = redis.call('INCR', KEYS[2])
        local json = '{"id":' .. id .. string.sub(ARGV[2], 8)
        redis.call('HSET', KEYS[1], id, json)
        redis.call('HSET', KEYS[3], ARGV[1], id)
        return {1, json}
        """;

    private readonly IDatabase _db = redis.GetDatabase();
    private readonly RedisKeys _keys = new(options.Value.KeyPrefix);

    public Task<(GuardianCase Case, bool Opened)> OpenAsync(GuardianCase draft, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
        {
            var json = JsonSerializer.Serialize(draft with { Id = 0 }, ChatJson.Options);
            var result = (RedisResult[])(await _db.ScriptEvaluateAsync(OpenScript,
                [_keys.GuardianCases, _keys.GuardianCaseSequence, _keys.GuardianCaseWindows], [draft.WindowKey, json]))!;
            return (Parse((string)result[1]!), (long)result[0] == 1);
        });

    public Task<GuardianCase?> GetAsync(long id, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
        await _db.HashGetAsync(_keys.GuardianCases, id) is { IsNull: false } json ? Parse((string)json!) : null);

    public Task<IReadOnlyList<GuardianCase>> ListAsync(string? state, string? subjectUserId, int limit, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync<IReadOnlyList<GuardianCase>>(redis, cancellationToken, async () =>
        {
            var newest = (long)await _db.StringGetAsync(_keys.GuardianCaseSequence);
            var ids = new List<RedisValue>();
            for (var id = newest; id > 0 && ids.Count < MaxScanned; id--)
            {
                ids.Add(id);
            }

            if (ids.Count == 0)
            {
                return [];
            }

            return (await _db.HashGetAsync(_keys.GuardianCases, ids.ToArray()))
                .Where(v => !v.IsNull).Select(v => Parse((string)v!))
                .Where(c => (state is null || c.State == state) && (subjectUserId is null || c.SubjectUserId == subjectUserId))
                .Take(limit).ToList();
        });

    public Task<GuardianCase?> MarkReviewedAsync(long id, string moderator, DateTimeOffset at, CancellationToken cancellationToken) =>
        UpdateAsync(id, found => found.FirstReviewedAt is null ? found with { FirstReviewedAt = at, AssignedTo = found.AssignedTo ?? moderator } : null,
            cancellationToken);

    public async Task<bool> ResolveAsync(long id, string state, string resolvedBy, string resolution, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var resolved = false;
        await UpdateAsync(id, found =>
        {
            resolved = found.State == GuardianCaseStates.Open;
            return resolved
                ? found with
                {
                    State = state,
                    ResolvedBy = resolvedBy,
                    Resolution = resolution,
                    ResolvedAt = at,
                    FirstReviewedAt = found.FirstReviewedAt ?? at,
                    AssignedTo = found.AssignedTo ?? resolvedBy,
                }
                : null;
        }, cancellationToken);
        return resolved;
    }

    /// <summary>Compare-and-set: <paramref name="change"/> returns the new case, or null to leave it; retried if it changed meanwhile.</summary>
    private Task<GuardianCase?> UpdateAsync(long id, Func<GuardianCase, GuardianCase?> change, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
        {
            var field = id.ToString(CultureInfo.InvariantCulture);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var json = await _db.HashGetAsync(_keys.GuardianCases, field);
                if (json.IsNull)
                {
                    return null;
                }

                var found = Parse((string)json!);
                if (change(found) is not { } updated)
                {
                    return found;
                }

                var transaction = _db.CreateTransaction();
                transaction.AddCondition(Condition.HashEqual(_keys.GuardianCases, field, json));
                _ = transaction.HashSetAsync(_keys.GuardianCases, field, JsonSerializer.Serialize(updated, ChatJson.Options));
                if (await transaction.ExecuteAsync())
                {
                    return updated;
                }
            }
        });

    private static GuardianCase Parse(string json) => JsonSerializer.Deserialize<GuardianCase>(json, ChatJson.Options) ?? throw new JsonException("empty guardian case");
}
