using System.Text.Json;
using Chatroom.Core.Chat;
using Chatroom.Core.Moderation;
using Chatroom.Embedded.Rooms;
using Chatroom.Embedded.Sqlite;
using Microsoft.Data.Sqlite;

namespace Chatroom.Embedded.Moderation;

/// <summary>Verdicts, aggregates, the review queue, mutes and the audit log in the embedded SQLite file.</summary>
public sealed class SqliteModerationStore(SqliteDatabase database, RoomStateCache cache) : IModerationStore
{
    /// <summary>Verdicts, the review queue (flags), mutes, the audit log and the LLM tier's token use per minute.</summary>
    public static IReadOnlyList<SchemaStep> Schema { get; } =
    [
        new(2, """
            CREATE TABLE verdicts (
                room TEXT NOT NULL,
                message_id INTEGER NOT NULL,
                author_id TEXT NOT NULL,
                mood TEXT NOT NULL,
                mood_score REAL NOT NULL,
                safety TEXT NOT NULL,
                unsafe_score REAL NOT NULL,
                categories TEXT NOT NULL,
                tier TEXT NOT NULL,
                confidence REAL NOT NULL,
                at INTEGER NOT NULL,
                PRIMARY KEY (room, message_id)
            ) WITHOUT ROWID;
            CREATE INDEX verdicts_room_at ON verdicts (room, at);
            CREATE TABLE flags (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                room TEXT NOT NULL,
                message_id INTEGER NOT NULL,
                author_id TEXT NOT NULL,
                author_name TEXT NOT NULL,
                text TEXT NOT NULL,
                reason TEXT NOT NULL,
                categories TEXT NOT NULL,
                unsafe_score REAL NOT NULL,
                state TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                resolved_by TEXT,
                resolution TEXT,
                UNIQUE (room, message_id)
            );
            CREATE INDEX flags_state ON flags (state, id);
            CREATE TABLE mutes (
                room TEXT NOT NULL,
                user_id TEXT NOT NULL,
                until INTEGER NOT NULL,
                PRIMARY KEY (room, user_id)
            ) WITHOUT ROWID;
            CREATE TABLE audit (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at INTEGER NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                room TEXT,
                message_id INTEGER,
                target_user_id TEXT,
                reason TEXT NOT NULL,
                detail TEXT
            );
            """),
        new(3, "CREATE INDEX verdicts_at ON verdicts (at);"),
        new(4, """
            CREATE TABLE llm_usage (
                minute INTEGER PRIMARY KEY,
                tokens INTEGER NOT NULL
            );
            """),
        // Which model decided, or why the LLM tier's answer is missing: kept with the verdict, not only in its live event.
        new(6, """
            ALTER TABLE verdicts ADD COLUMN model TEXT;
            ALTER TABLE verdicts ADD COLUMN fallback TEXT;
            """),
        // The author's appeal (JSON: reason, at) and the policy model's advice on it (JSON), kept with the flag they reopen.
        new(9, """
            ALTER TABLE flags ADD COLUMN appeal TEXT;
            ALTER TABLE flags ADD COLUMN appeal_advice TEXT;
            """),
    ];

    private const string MutesKind = "mutes";

    private const string FlagColumns =
        "id, room, message_id, author_id, author_name, text, reason, categories, unsafe_score, state, created_at, resolved_by, resolution, appeal, appeal_advice";

    private const string VerdictColumns =
        "room, message_id, author_id, mood, mood_score, safety, unsafe_score, categories, tier, confidence, at, model, fallback";

    private const string AuditColumns = "id, at, actor, action, room, message_id, target_user_id, reason, detail";

    public Task<bool> SaveVerdictAsync(VerdictRecord verdict, CancellationToken cancellationToken) =>
        database.WriteAsync(async (_, transaction) => await database.Prepared(transaction, """
                INSERT INTO verdicts (room, message_id, author_id, mood, mood_score, safety, unsafe_score, categories, tier, confidence, at, model, fallback)
                VALUES ($room, $id, $author, $mood, $moodScore, $safety, $unsafeScore, $categories, $tier, $confidence, $at, $model, $fallback)
                ON CONFLICT (room, message_id) DO NOTHING
                """)
            .Set("$room", verdict.Room)
            .Set("$id", verdict.MessageId)
            .Set("$author", verdict.AuthorId)
            .Set("$mood", verdict.Mood)
            .Set("$moodScore", verdict.MoodScore)
            .Set("$safety", verdict.Safety)
            .Set("$unsafeScore", verdict.UnsafeScore)
            .Set("$categories", string.Join(',', verdict.Categories))
            .Set("$tier", verdict.Tier)
            .Set("$confidence", verdict.Confidence)
            .Set("$at", verdict.At.ToUnixTimeMilliseconds())
            .Set("$model", verdict.Model)
            .Set("$fallback", verdict.Fallback)
            .ExecuteNonQueryAsync(cancellationToken) == 1, cancellationToken);

    public Task<VerdictRecord?> GetVerdictAsync(string room, long messageId, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {VerdictColumns} FROM verdicts WHERE room = $room AND message_id = $id";
            command.Parameters.AddWithValue("$room", room);
            command.Parameters.AddWithValue("$id", messageId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? ReadVerdict(reader) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<VerdictRecord>> ListRecentVerdictsAsync(int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<VerdictRecord>>(async connection =>
        {
            await using var command = connection.CreateCommand();

            // verdicts_at serves the order; the message id only keeps ties in a stable order.
            command.CommandText = $"SELECT {VerdictColumns} FROM verdicts ORDER BY at DESC, message_id DESC LIMIT $limit";
            command.Parameters.AddWithValue("$limit", Math.Clamp(limit, 0, IModerationStore.MaxRecentVerdicts));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var verdicts = new List<VerdictRecord>();
            while (await reader.ReadAsync(cancellationToken))
            {
                verdicts.Add(ReadVerdict(reader));
            }

            return verdicts;
        }, cancellationToken);

    public Task<RoomAggregates> GetAggregatesAsync(string room, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection => new RoomAggregates(
            room,
            await CountAsync(connection, room, since: null, cancellationToken),
            await CountAsync(connection, room, now.AddHours(-1), cancellationToken),
            await CountAsync(connection, room, now - TrendPolicy.Window, cancellationToken)), cancellationToken);

    public Task<VerdictCounts> GetRecentCountsAsync(string room, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => CountAsync(connection, room, now - window, cancellationToken), cancellationToken);

    public Task RecordTokensAsync(DateTimeOffset minute, long tokens, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO llm_usage (minute, tokens) VALUES ($minute, $tokens)
                ON CONFLICT (minute) DO UPDATE SET tokens = tokens + excluded.tokens
                """;
            command.Parameters.AddWithValue("$minute", minute.ToUnixTimeMilliseconds() / 60_000);
            command.Parameters.AddWithValue("$tokens", tokens);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<IReadOnlyList<MinuteCounts>> GetMinuteSeriesAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<MinuteCounts>>(async connection =>
        {
            var minutes = new SortedDictionary<long, MinuteCounts>();
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = """
                    SELECT at / 60000, COUNT(*), SUM(mood = 'happy'), SUM(mood = 'neutral'), SUM(mood = 'sad'), SUM(safety = 'unsafe')
                    FROM verdicts WHERE at >= $since GROUP BY at / 60000
                    """;
                command.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var minute = reader.GetInt64(0);
                    minutes[minute] = new MinuteCounts(DateTimeOffset.FromUnixTimeMilliseconds(minute * 60_000), reader.GetInt64(1),
                        reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
                }
            }

            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT minute, tokens FROM llm_usage WHERE minute >= $since";
                command.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds() / 60_000);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var minute = reader.GetInt64(0);
                    minutes[minute] = (minutes.GetValueOrDefault(minute) ?? new MinuteCounts(DateTimeOffset.FromUnixTimeMilliseconds(minute * 60_000), 0, 0, 0, 0, 0))
                        with { LlmTokens = reader.GetInt64(1) };
                }
            }

            return minutes.Values.ToList();
        }, cancellationToken);

    public Task<FlagRecord> FlagAsync(FlagRecord flag, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"""
                INSERT INTO flags (room, message_id, author_id, author_name, text, reason, categories, unsafe_score, state, created_at, appeal, appeal_advice)
                VALUES ($room, $id, $author, $authorName, $text, $reason, $categories, $score, $state, $at, $appeal, $advice)
                ON CONFLICT (room, message_id) DO NOTHING;
                SELECT {FlagColumns} FROM flags WHERE room = $room AND message_id = $id;
                """;
            command.Parameters.AddWithValue("$room", flag.Room);
            command.Parameters.AddWithValue("$id", flag.MessageId);
            command.Parameters.AddWithValue("$author", flag.AuthorId);
            command.Parameters.AddWithValue("$authorName", flag.AuthorName);
            command.Parameters.AddWithValue("$text", flag.Text);
            command.Parameters.AddWithValue("$reason", flag.Reason);
            command.Parameters.AddWithValue("$categories", string.Join(',', flag.Categories));
            command.Parameters.AddWithValue("$score", flag.UnsafeScore);
            command.Parameters.AddWithValue("$state", flag.State);
            command.Parameters.AddWithValue("$at", flag.CreatedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$appeal", (object?)AppealJson(flag.Appeal) ?? DBNull.Value);
            command.Parameters.AddWithValue("$advice", (object?)AdviceJson(flag.Appeal?.Advice) ?? DBNull.Value);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return ReadFlag(reader);
        }, cancellationToken);

    public Task<IReadOnlyList<FlagRecord>> ListFlagsAsync(string? room, string? state, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<FlagRecord>>(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT {FlagColumns} FROM flags
                WHERE ($room IS NULL OR room = $room) AND ($state IS NULL OR state = $state)
                ORDER BY id DESC LIMIT $limit
                """;
            command.Parameters.AddWithValue("$room", (object?)room ?? DBNull.Value);
            command.Parameters.AddWithValue("$state", (object?)state ?? DBNull.Value);
            command.Parameters.AddWithValue("$limit", limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var flags = new List<FlagRecord>();
            while (await reader.ReadAsync(cancellationToken))
            {
                flags.Add(ReadFlag(reader));
            }

            return flags;
        }, cancellationToken);

    public Task<FlagRecord?> GetFlagAsync(long id, CancellationToken cancellationToken) =>
        FindFlagAsync("id = $id", p => p.AddWithValue("$id", id), cancellationToken);

    public Task<FlagRecord?> GetFlagAsync(string room, long messageId, CancellationToken cancellationToken) =>
        FindFlagAsync("room = $room AND message_id = $id", p =>
        {
            p.AddWithValue("$room", room);
            p.AddWithValue("$id", messageId);
        }, cancellationToken);

    public Task<bool> AppealFlagAsync(long id, FlagAppeal appeal, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "UPDATE flags SET state = $state, appeal = $appeal, appeal_advice = NULL WHERE id = $id AND appeal IS NULL";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$state", FlagStates.Appealed);
            command.Parameters.AddWithValue("$appeal", AppealJson(appeal));
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task<bool> AdviseAppealAsync(long id, AppealAdvice advice, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "UPDATE flags SET appeal_advice = $advice WHERE id = $id AND appeal IS NOT NULL AND appeal_advice IS NULL";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$advice", AdviceJson(advice));
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task<bool> ResolveFlagAsync(long id, string state, string resolvedBy, string resolution, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                UPDATE flags SET state = $state, resolved_by = $by, resolution = $resolution
                WHERE id = $id AND state IN ('open', 'appealed')
                """;
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$state", state);
            command.Parameters.AddWithValue("$by", resolvedBy);
            command.Parameters.AddWithValue("$resolution", resolution);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public async Task MuteAsync(string room, string userId, DateTimeOffset until, CancellationToken cancellationToken)
    {
        try
        {
            await database.WriteAsync(async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = """
                    INSERT INTO mutes (room, user_id, until) VALUES ($room, $user, $until)
                    ON CONFLICT (room, user_id) DO UPDATE SET until = max(until, excluded.until)
                    """;
                command.Parameters.AddWithValue("$room", room);
                command.Parameters.AddWithValue("$user", userId);
                command.Parameters.AddWithValue("$until", until.ToUnixTimeMilliseconds());
                return await command.ExecuteNonQueryAsync(cancellationToken);
            }, cancellationToken);
        }
        finally
        {
            cache.Invalidate();
        }
    }

    public async Task<DateTimeOffset?> GetMuteAsync(string room, string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The room's mutes, read once and kept until a change (RoomStateCache); a mute ends by its time here.
        var mutes = await cache.GetAsync(MutesKind, room, () => database.ReadAsync<Dictionary<string, long>?>(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT user_id, until FROM mutes WHERE room = $room";
            command.Parameters.AddWithValue("$room", room);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var found = new Dictionary<string, long>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                found[reader.GetString(0)] = reader.GetInt64(1);
            }

            return found;
        }, cancellationToken));
        return mutes!.TryGetValue(userId, out var until) && until > now.ToUnixTimeMilliseconds() ? DateTimeOffset.FromUnixTimeMilliseconds(until) : null;
    }

    public Task<AuditEntry> AuditAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO audit (at, actor, action, room, message_id, target_user_id, reason, detail)
                VALUES ($at, $actor, $action, $room, $message, $target, $reason, $detail)
                RETURNING id
                """;
            command.Parameters.AddWithValue("$at", entry.At.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$actor", entry.Actor);
            command.Parameters.AddWithValue("$action", entry.Action);
            command.Parameters.AddWithValue("$room", (object?)entry.Room ?? DBNull.Value);
            command.Parameters.AddWithValue("$message", (object?)entry.MessageId ?? DBNull.Value);
            command.Parameters.AddWithValue("$target", (object?)entry.TargetUserId ?? DBNull.Value);
            command.Parameters.AddWithValue("$reason", entry.Reason);
            command.Parameters.AddWithValue("$detail", (object?)entry.Detail ?? DBNull.Value);
            var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            return entry with { Id = id };
        }, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(long? before, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<AuditEntry>>(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {AuditColumns} FROM audit WHERE id < $before ORDER BY id DESC LIMIT $limit";
            command.Parameters.AddWithValue("$before", before ?? long.MaxValue);
            command.Parameters.AddWithValue("$limit", limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var entries = new List<AuditEntry>();
            while (await reader.ReadAsync(cancellationToken))
            {
                entries.Add(new AuditEntry(
                    reader.GetInt64(0),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetInt64(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.GetString(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8)));
            }

            return entries;
        }, cancellationToken);

    /// <summary>The one flag matching <paramref name="condition"/> (a unique key), or null.</summary>
    private Task<FlagRecord?> FindFlagAsync(string condition, Action<SqliteParameterCollection> bind, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {FlagColumns} FROM flags WHERE {condition}";
            bind(command.Parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? ReadFlag(reader) : null;
        }, cancellationToken);

    private static async Task<VerdictCounts> CountAsync(SqliteConnection connection, string room, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT mood, safety, categories, COUNT(*) FROM verdicts
            WHERE room = $room AND at >= $since
            GROUP BY mood, safety, categories
            """;
        command.Parameters.AddWithValue("$room", room);
        command.Parameters.AddWithValue("$since", since?.ToUnixTimeMilliseconds() ?? 0);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long total = 0, happy = 0, neutral = 0, sad = 0, safe = 0, @unsafe = 0;
        var byCategory = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var count = reader.GetInt64(3);
            total += count;
            switch (reader.GetString(0))
            {
                case "happy": happy += count; break;
                case "sad": sad += count; break;
                default: neutral += count; break;
            }

            if (reader.GetString(1) != "unsafe")
            {
                safe += count;
                continue;
            }

            @unsafe += count;
            foreach (var category in SplitCategories(reader.GetString(2)))
            {
                byCategory[category] = byCategory.GetValueOrDefault(category) + count;
            }
        }

        return new VerdictCounts(total, happy, neutral, sad, safe, @unsafe, byCategory);
    }

    private static IReadOnlyList<string> SplitCategories(string value) =>
        value.Length == 0 ? [] : value.Split(',');

    private static VerdictRecord ReadVerdict(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetDouble(4),
        reader.GetString(5), reader.GetDouble(6), SplitCategories(reader.GetString(7)), reader.GetString(8), reader.GetDouble(9),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)),
        reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetString(12));

    private static FlagRecord ReadFlag(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetInt64(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetString(5),
        reader.GetString(6),
        SplitCategories(reader.GetString(7)),
        reader.GetDouble(8),
        reader.GetString(9),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)),
        reader.IsDBNull(11) ? null : reader.GetString(11),
        reader.IsDBNull(12) ? null : reader.GetString(12),
        reader.IsDBNull(13) ? null : ReadAppeal(reader.GetString(13), reader.IsDBNull(14) ? null : reader.GetString(14)));

    /// <summary>The appeal without its advice, which has a column of its own so the advice is added without rewriting the appeal.</summary>
    private static string? AppealJson(FlagAppeal? appeal) =>
        appeal is null ? null : JsonSerializer.Serialize(appeal with { Advice = null }, ChatJson.Options);

    private static string? AdviceJson(AppealAdvice? advice) => advice is null ? null : JsonSerializer.Serialize(advice, ChatJson.Options);

    private static FlagAppeal ReadAppeal(string appeal, string? advice) =>
        JsonSerializer.Deserialize<FlagAppeal>(appeal, ChatJson.Options)! with
        {
            Advice = advice is null ? null : JsonSerializer.Deserialize<AppealAdvice>(advice, ChatJson.Options),
        };
}
