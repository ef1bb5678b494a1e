using System.Globalization;
using System.Text.Json;
using Chatroom.Core.Chat;
using Chatroom.Core.Moderation;
using Chatroom.Redis.Caching;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chatroom.Redis.Moderation;

/// <summary>
/// Verdicts and counters under the room's hash tag (a hash of verdicts, all-time counters and one counter
/// hash per minute that expires after the longest window); the minute series across rooms and the review
/// queue under <c>{moderation}</c>; the audit log as a stream under <c>{audit}</c>; mutes as expiring keys.
/// Rolling windows are summed from whole minutes: a minute that overlaps the window counts in full.
/// </summary>
public sealed class RedisModerationStore(IConnectionMultiplexer redis, IOptions<RedisBackendOptions> options, NodeStateCache? cache = null) : IModerationStore
{
    private const long MinuteMs = 60_000;

    /// <summary>A room's minute counters outlive the longest window (an hour) with room to spare.</summary>
    private static readonly TimeSpan RoomMinuteRetention = TimeSpan.FromHours(2);

    /// <summary>The admin time series reaches back 24 hours.</summary>
    private static readonly TimeSpan SeriesRetention = TimeSpan.FromHours(25);

    // KEYS: verdicts, all-time counters, minute counters. ARGV: message id, json, mood, safety, minute ttl ms, categories…
    private const string SaveVerdictScript = """
        if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
        for k = 2, 3 do
          local key = KEYS[k]
          redis.call('HINCRBY', key, 'total', 1)
          redis.call('HINCRBY', key, ARGV[3], 1)
          if ARGV[4] == 'unsafe' then
            redis.call('HINCRBY', key, 'unsafe', 1)
            for i = 6, #ARGV do redis.call('HINCRBY', key, 'cat:' .. ARGV[i], 1) end
          else
            redis.call('HINCRBY', key, 'safe', 1)
          end
        end
        redis.call('PEXPIRE', KEYS[3], ARGV[5])
        return 1
        """;

    // KEYS: minute index, minute counters, recent verdicts. ARGV: minute, mood, unsafe (1/0), ttl ms, oldest minute kept,
    // verdict time ms, verdict json, recent verdicts kept.
    private const string CountMinuteScript = """
        redis.call('ZADD', KEYS[1], ARGV[1], ARGV[1])
        redis.call('HINCRBY', KEYS[2], 'n', 1)
        redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
        if ARGV[3] == '1' then redis.call('HINCRBY', KEYS[2], 'unsafe', 1) end
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[5])
        redis.call('ZADD', KEYS[3], ARGV[6], ARGV[7])
        redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -tonumber(ARGV[8]) - 1)
        return 1
        """;

    // KEYS: a room's minute counters (one slot: they share the room's hash tag). Returns field, sum, field, sum…
    private const string SumMinutesScript = """
        local sums, fields = {}, {}
        for i = 1, #KEYS do
          local counts = redis.call('HGETALL', KEYS[i])
          for j = 1, #counts, 2 do
            local field = counts[j]
            if sums[field] == nil then
              sums[field] = 0
              fields[#fields + 1] = field
            end
            sums[field] = sums[field] + tonumber(counts[j + 1])
          end
        end
        local reply = {}
        for _, field in ipairs(fields) do
          reply[#reply + 1] = field
          reply[#reply + 1] = sums[field]
        end
        return reply
        """;

    // KEYS: minute index, minute counters. ARGV: minute, tokens, ttl ms, oldest minute kept.
    private const string CountTokensScript = """
        redis.call('ZADD', KEYS[1], ARGV[1], ARGV[1])
        redis.call('HINCRBY', KEYS[2], 'tokens', ARGV[2])
        redis.call('PEXPIRE', KEYS[2], ARGV[3])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[4])
        return 1
        """;

    // KEYS: minute index. ARGV: first minute, minute key prefix.
    private const string ReadSeriesScript = """
        local minutes = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '+inf')
        local out = {}
        for _, m in ipairs(minutes) do
          local c = redis.call('HMGET', ARGV[2] .. m, 'n', 'happy', 'neutral', 'sad', 'unsafe', 'tokens')
          if c[1] or c[6] then table.insert(out, {m, c[1] or '0', c[2] or '0', c[3] or '0', c[4] or '0', c[5] or '0', c[6] or '0'}) end
        end
        return out
        """;

    // KEYS: sequence, by-message, index. ARGV: flag key prefix, room \n message id, then field/value pairs (without id).
    private const string FlagScript = """
        local existing = redis.call('HGET', KEYS[2], ARGV[2])
        if existing then return redis.call('HGETALL', ARGV[1] .. existing) end
        local id = redis.call('INCR', KEYS[1])
        redis.call('HSET', ARGV[1] .. id, 'id', id, unpack(ARGV, 3))
        redis.call('HSET', KEYS[2], ARGV[2], id)
        redis.call('ZADD', KEYS[3], id, id)
        return redis.call('HGETALL', ARGV[1] .. id)
        """;

    // KEYS: index. ARGV: flag key prefix, room ('' = any), state ('' = any), limit.
    private const string ListFlagsScript = """
        local limit = tonumber(ARGV[4])
        local out = {}
        local offset = 0
        while #out < limit do
          local ids = redis.call('ZREVRANGE', KEYS[1], offset, offset + 199)
          if #ids == 0 then break end
          offset = offset + #ids
          for _, id in ipairs(ids) do
            local f = redis.call('HMGET', ARGV[1] .. id, 'room', 'state')
            if f[1] and (ARGV[2] == '' or f[1] == ARGV[2]) and (ARGV[3] == '' or f[2] == ARGV[3]) then
              table.insert(out, redis.call('HGETALL', ARGV[1] .. id))
              if #out >= limit then break end
            end
          end
        end
        return out
        """;

    // KEYS: flag. ARGV: state, resolved by, resolution.
    private const string ResolveFlagScript = """
        local state = redis.call('HGET', KEYS[1], 'state')
        if state ~= 'open' and state ~= 'appealed' then return 0 end
        redis.call('HSET', KEYS[1], 'state', ARGV[1], 'resolvedBy', ARGV[2], 'resolution', ARGV[3])
        return 1
        """;

    // KEYS: by-message. ARGV: flag key prefix, room \n message id.
    private const string FlagByMessageScript = """
        local id = redis.call('HGET', KEYS[1], ARGV[2])
        if not id then return {} end
        return redis.call('HGETALL', ARGV[1] .. id)
        """;

    // KEYS: flag. ARGV: appeal JSON, appealed state. A flag is appealed once.
    private const string AppealFlagScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], 'appeal') == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'appeal', ARGV[1], 'state', ARGV[2])
        return 1
        """;

    // KEYS: flag. ARGV: advice JSON.
    private const string AdviseAppealScript = """
        if redis.call('HEXISTS', KEYS[1], 'appeal') == 0 or redis.call('HEXISTS', KEYS[1], 'advice') == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'advice', ARGV[1])
        return 1
        """;

    // KEYS: mute. ARGV: until ms. Keeps the later end; the key expires when the mute ends.
    private const string MuteScript = """
        local untilMs = tonumber(ARGV[1])
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        if current > untilMs then untilMs = current end
        local text = string.format('%d', untilMs)
        redis.call('SET', KEYS[1], text, 'PXAT', text)
        return 1
        """;

    // KEYS: sequence, log. ARGV: max length, then field/value pairs.
    private const string AuditScript = """
        local id = redis.call('INCR', KEYS[1])
        redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], id .. '-0', unpack(ARGV, 2))
        return id
        """;

    private readonly IDatabase _db = redis.GetDatabase();
    private readonly RedisKeys _keys = new(options.Value.KeyPrefix);
    private readonly RedisBackendOptions _options = options.Value;

    public Task<bool> SaveVerdictAsync(VerdictRecord verdict, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
    {
        var mood = MoodOf(verdict.Mood);
        var minute = verdict.At.ToUnixTimeMilliseconds() / MinuteMs;
        var json = JsonSerializer.Serialize(verdict, ChatJson.Options);
        RedisValue[] args =
        [
            verdict.MessageId, json, mood, verdict.IsUnsafe ? "unsafe" : "safe",
            (long)RoomMinuteRetention.TotalMilliseconds, .. verdict.Categories.Select(c => (RedisValue)c),
        ];
        var saved = await _db.ScriptEvaluateAsync(SaveVerdictScript,
            [_keys.RoomVerdicts(verdict.Room), _keys.RoomVerdictCounts(verdict.Room), _keys.RoomVerdictMinute(verdict.Room, minute)], args);
        if ((long)saved != 1)
        {
            return false;
        }

        // The series and the latest verdicts span rooms, so they live in another slot: written right after the verdict, not
        // atomically with it. Only a verdict saved the first time gets here, so a redelivered one is not listed twice.
        await _db.ScriptEvaluateAsync(CountMinuteScript, [_keys.ModerationMinutes, _keys.ModerationMinute(minute), _keys.RecentVerdicts],
        [
            minute, mood, verdict.IsUnsafe ? 1 : 0, (long)SeriesRetention.TotalMilliseconds, minute - (long)SeriesRetention.TotalMinutes,
            verdict.At.ToUnixTimeMilliseconds(), json, IModerationStore.MaxRecentVerdicts,
        ]);
        return true;
    });

    public Task<VerdictRecord?> GetVerdictAsync(string room, long messageId, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
    {
        var json = (string?)await _db.HashGetAsync(_keys.RoomVerdicts(room), messageId.ToString(CultureInfo.InvariantCulture));
        return json is null ? null : JsonSerializer.Deserialize<VerdictRecord>(json, ChatJson.Options);
    });

    public Task<IReadOnlyList<VerdictRecord>> ListRecentVerdictsAsync(int limit, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync<IReadOnlyList<VerdictRecord>>(redis, cancellationToken, async () =>
        {
            var count = Math.Min(limit, IModerationStore.MaxRecentVerdicts);
            if (count <= 0)
            {
                return [];
            }

            var members = await _db.SortedSetRangeByRankAsync(_keys.RecentVerdicts, 0, count - 1, Order.Descending);
            return members.Select(m => JsonSerializer.Deserialize<VerdictRecord>((string)m!, ChatJson.Options)!).ToList();
        });

    public Task<RoomAggregates> GetAggregatesAsync(string room, DateTimeOffset now, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
    {
        var allTime = _db.HashGetAllAsync(_keys.RoomVerdictCounts(room));
        var hour = SumMinutesAsync(room, now, TimeSpan.FromHours(1));
        var quarter = SumMinutesAsync(room, now, TrendPolicy.Window);
        var total = new Counter();
        total.Add(await allTime);
        return new RoomAggregates(room, total.ToCounts(), await hour, await quarter);
    });

    public Task<VerdictCounts> GetRecentCountsAsync(string room, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, () => SumMinutesAsync(room, now, window));

    /// <summary>
    /// The room's minute counters from the minute <paramref name="window"/> before <paramref name="now"/> through the current
    /// one, summed inside Redis by one script: reading the buckets one HGETALL each was 61 commands per classified batch
    /// (17,000 a second at 600 connections on one Redis), all of it on the analysis path beside chat.
    /// </summary>
    private async Task<VerdictCounts> SumMinutesAsync(string room, DateTimeOffset now, TimeSpan window)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var lastMinute = nowMs / MinuteMs;
        var firstMinute = (nowMs - (long)window.TotalMilliseconds) / MinuteMs;
        var keys = new RedisKey[lastMinute - firstMinute + 1];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = _keys.RoomVerdictMinute(room, firstMinute + i);
        }

        var reply = (RedisResult[])(await _db.ScriptEvaluateAsync(SumMinutesScript, keys))!;
        var counts = new HashEntry[reply.Length / 2];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = new HashEntry((string)reply[2 * i]!, (long)reply[2 * i + 1]);
        }

        var counter = new Counter();
        counter.Add(counts);
        return counter.ToCounts();
    }

    public Task RecordTokensAsync(DateTimeOffset minute, long tokens, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
    {
        var m = minute.ToUnixTimeMilliseconds() / MinuteMs;
        await _db.ScriptEvaluateAsync(CountTokensScript, [_keys.ModerationMinutes, _keys.ModerationMinute(m)],
            [m, tokens, (long)SeriesRetention.TotalMilliseconds, m - (long)SeriesRetention.TotalMinutes]);
        return true;
    });

    public Task<IReadOnlyList<MinuteCounts>> GetMinuteSeriesAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync<IReadOnlyList<MinuteCounts>>(redis, cancellationToken, async () =>
        {
            var reply = await _db.ScriptEvaluateAsync(ReadSeriesScript, [_keys.ModerationMinutes],
                [since.ToUnixTimeMilliseconds() / MinuteMs, _keys.ModerationMinutePrefix]);
            var series = new List<MinuteCounts>(reply.Length);
            for (var i = 0; i < reply.Length; i++)
            {
                var row = reply[i];
                series.Add(new MinuteCounts(DateTimeOffset.FromUnixTimeMilliseconds((long)row[0] * MinuteMs),
                    (long)row[1], (long)row[2], (long)row[3], (long)row[4], (long)row[5], (long)row[6]));
            }

            return series;
        });

    public Task<FlagRecord> FlagAsync(FlagRecord flag, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
    {
        var reply = await _db.ScriptEvaluateAsync(FlagScript, [_keys.FlagSequence, _keys.FlagByMessage, _keys.FlagIndex],
        [
            _keys.FlagPrefix, flag.Room + "\n" + flag.MessageId.ToString(CultureInfo.InvariantCulture),
            "room", flag.Room, "messageId", flag.MessageId, "authorId", flag.AuthorId, "authorName", flag.AuthorName, "text", flag.Text,
            "reason", flag.Reason, "categories", string.Join(',', flag.Categories), "unsafeScore", flag.UnsafeScore.ToString("R", CultureInfo.InvariantCulture),
            "state", flag.State, "createdAt", flag.CreatedAt.ToUnixTimeMilliseconds(),
            .. AppealFields(flag.Appeal),
        ]);
        return ReadFlag(reply);
    });

    public Task<IReadOnlyList<FlagRecord>> ListFlagsAsync(string? room, string? state, int limit, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync<IReadOnlyList<FlagRecord>>(redis, cancellationToken, async () =>
        {
            if (limit <= 0)
            {
                return [];
            }

            var reply = await _db.ScriptEvaluateAsync(ListFlagsScript, [_keys.FlagIndex], [_keys.FlagPrefix, room ?? string.Empty, state ?? string.Empty, limit]);
            return ((RedisResult[]?)reply ?? []).Select(ReadFlag).ToList();
        });

    public Task<FlagRecord?> GetFlagAsync(long id, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
    {
        var fields = await _db.HashGetAllAsync(FlagKey(id));
        return fields.Length == 0 ? null : ReadFlag(fields.ToStringDictionary());
    });

    public Task<FlagRecord?> GetFlagAsync(string room, long messageId, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
    {
        var reply = await _db.ScriptEvaluateAsync(FlagByMessageScript, [_keys.FlagByMessage],
            [_keys.FlagPrefix, room + "\n" + messageId.ToString(CultureInfo.InvariantCulture)]);
        return reply.Length == 0 ? null : ReadFlag(reply);
    });

    public Task<bool> AppealFlagAsync(long id, FlagAppeal appeal, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
        (long)await _db.ScriptEvaluateAsync(AppealFlagScript, [FlagKey(id)],
            [JsonSerializer.Serialize(appeal with { Advice = null }, ChatJson.Options), FlagStates.Appealed]) == 1);

    public Task<bool> AdviseAppealAsync(long id, AppealAdvice advice, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
        (long)await _db.ScriptEvaluateAsync(AdviseAppealScript, [FlagKey(id)], [JsonSerializer.Serialize(advice, ChatJson.Options)]) == 1);

    public Task<bool> ResolveFlagAsync(long id, string state, string resolvedBy, string resolution, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
            (long)await _db.ScriptEvaluateAsync(ResolveFlagScript, [FlagKey(id)], [state, resolvedBy, resolution]) == 1);

    public Task MuteAsync(string room, string userId, DateTimeOffset until, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
    {
        await _db.ScriptEvaluateAsync(MuteScript, [_keys.RoomMute(room, userId)], [until.ToUnixTimeMilliseconds()]);
        if (cache is not null)
        {
            await cache.ChangedAsync(new StateChange(StateChange.MuteScope, room, userId));
        }
    });

    /// <summary>Every send asks: with a <see cref="NodeStateCache"/> (as registered) the stored end is kept in memory.</summary>
    public Task<DateTimeOffset?> GetMuteAsync(string room, string userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync<DateTimeOffset?>(redis, cancellationToken, async () =>
        {
            var until = cache is null ? await ReadMuteAsync(room, userId) : await cache.GetOrReadAsync(NodeStateCache.MuteKey(room, userId), () => ReadMuteAsync(room, userId));
            return until is not null && long.Parse(until, CultureInfo.InvariantCulture) is var ms && ms > now.ToUnixTimeMilliseconds()
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : null;
        });

    private async Task<string?> ReadMuteAsync(string room, string userId) => await _db.StringGetAsync(_keys.RoomMute(room, userId));

    public Task<AuditEntry> AuditAsync(AuditEntry entry, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
    {
        List<RedisValue> args =
        [
            _options.AuditLogMaxLength, "at", entry.At.ToUnixTimeMilliseconds(), "actor", entry.Actor, "action", entry.Action, "reason", entry.Reason,
        ];
        AddIfPresent(args, "room", entry.Room);
        AddIfPresent(args, "messageId", entry.MessageId?.ToString(CultureInfo.InvariantCulture));
        AddIfPresent(args, "target", entry.TargetUserId);
        AddIfPresent(args, "detail", entry.Detail);
        var id = await _db.ScriptEvaluateAsync(AuditScript, [_keys.AuditSequence, _keys.AuditLog], [.. args]);
        return entry with { Id = (long)id };
    });

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(long? before, int limit, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync<IReadOnlyList<AuditEntry>>(redis, cancellationToken, async () =>
        {
            if (limit <= 0 || before <= 1)
            {
                return [];
            }

            // Exclusive ranges ("(id") are a Redis 6.2 form the library passes through as it is.
            var end = before is { } b ? "(" + b.ToString(CultureInfo.InvariantCulture) + "-0" : "+";
            var entries = await _db.StreamRangeAsync(_keys.AuditLog, "-", end, limit, Order.Descending);
            return entries.Select(e => new AuditEntry(
                long.Parse(((string)e.Id!).AsSpan(0, ((string)e.Id!).IndexOf('-')), CultureInfo.InvariantCulture),
                DateTimeOffset.FromUnixTimeMilliseconds(long.Parse((string?)e["at"] ?? "0", CultureInfo.InvariantCulture)),
                (string?)e["actor"] ?? string.Empty,
                (string?)e["action"] ?? string.Empty,
                (string?)e["room"],
                (string?)e["messageId"] is { } message ? long.Parse(message, CultureInfo.InvariantCulture) : null,
                (string?)e["target"],
                (string?)e["reason"] ?? string.Empty,
                (string?)e["detail"])).ToList();
        });

    private static void AddIfPresent(List<RedisValue> args, string field, string? value)
    {
        if (value is not null)
        {
            args.Add(field);
            args.Add(value);
        }
    }

    /// <summary>As the embedded store counts: anything but happy or sad is neutral.</summary>
    private static string MoodOf(string mood) => mood switch
    {
        "happy" => "happy",
        "sad" => "sad",
        _ => "neutral",
    };

    private string FlagKey(long id) => _keys.FlagPrefix + id.ToString(CultureInfo.InvariantCulture);

    private static FlagRecord ReadFlag(RedisResult reply)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < reply.Length; i += 2)
        {
            fields[(string)reply[i]!] = (string?)reply[i + 1] ?? string.Empty;
        }

        return ReadFlag(fields);
    }

    private static FlagRecord ReadFlag(Dictionary<string, string> f)
    {
        var categories = f.GetValueOrDefault("categories", string.Empty);
        return new FlagRecord(
            long.Parse(f["id"], CultureInfo.InvariantCulture),
            f["room"],
            long.Parse(f["messageId"], CultureInfo.InvariantCulture),
            f.GetValueOrDefault("authorId", string.Empty),
            f.GetValueOrDefault("authorName", string.Empty),
            f.GetValueOrDefault("text", string.Empty),
            f.GetValueOrDefault("reason", string.Empty),
            categories.Length == 0 ? [] : categories.Split(','),
            double.Parse(f.GetValueOrDefault("unsafeScore", "0"), CultureInfo.InvariantCulture),
            f.GetValueOrDefault("state", FlagStates.Open),
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(f.GetValueOrDefault("createdAt", "0"), CultureInfo.InvariantCulture)),
            f.GetValueOrDefault("resolvedBy"),
            f.GetValueOrDefault("resolution"),
            f.TryGetValue("appeal", out var appeal)
                ? JsonSerializer.Deserialize<FlagAppeal>(appeal, ChatJson.Options)! with
                {
                    Advice = f.TryGetValue("advice", out var advice) ? JsonSerializer.Deserialize<AppealAdvice>(advice, ChatJson.Options) : null,
                }
                : null);
    }

    /// <summary>The appeal and its advice as flag hash fields (the advice apart, so it is added without rewriting the appeal).</summary>
    private static RedisValue[] AppealFields(FlagAppeal? appeal) => appeal switch
    {
        null => [],
        { Advice: null } => ["appeal", JsonSerializer.Serialize(appeal, ChatJson.Options)],
        _ => ["appeal", JsonSerializer.Serialize(appeal with { Advice = null }, ChatJson.Options), "advice", JsonSerializer.Serialize(appeal.Advice, ChatJson.Options)],
    };

    /// <summary>Adds up counter hashes written by <see cref="SaveVerdictScript"/>.</summary>
    private sealed class Counter
    {
        private readonly Dictionary<string, long> _byCategory = new(StringComparer.Ordinal);
        private long _total, _happy, _neutral, _sad, _safe, _unsafe;

        public void Add(HashEntry[] counts)
        {
            foreach (var entry in counts)
            {
                var field = (string)entry.Name!;
                var value = (long)entry.Value;
                switch (field)
                {
                    case "total": _total += value; break;
                    case "happy": _happy += value; break;
                    case "neutral": _neutral += value; break;
                    case "sad": _sad += value; break;
                    case "safe": _safe += value; break;
                    case "unsafe": _unsafe += value; break;
                    default:
                        if (field.StartsWith("cat:", StringComparison.Ordinal))
                        {
                            _byCategory[field[4..]] = _byCategory.GetValueOrDefault(field[4..]) + value;
                        }

                        break;
                }
            }
        }

        public VerdictCounts ToCounts() => new(_total, _happy, _neutral, _sad, _safe, _unsafe, new Dictionary<string, long>(_byCategory));
    }
}
