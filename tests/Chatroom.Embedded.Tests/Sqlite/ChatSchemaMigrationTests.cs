using System.Globalization;
using System.Text.RegularExpressions;
using Chatroom.Embedded.Sqlite;
using Microsoft.Data.Sqlite;

namespace Chatroom.Embedded.Tests.Sqlite;

/// <summary>
/// Data folders written before each store kept its own schema steps (one list of migrations in SqliteDatabase) open and
/// migrate to the same schema, with the same version numbers, and keep their rows.
/// </summary>
public sealed class ChatSchemaMigrationTests : IDisposable
{
    /// <summary>The chat file's migrations exactly as released before the split; never edit: files in the field were made by them.</summary>
    private static readonly IReadOnlyList<string> PreSplitMigrations =
    [
        """
        CREATE TABLE rooms (
            name TEXT PRIMARY KEY,
            topic TEXT,
            created_by TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            slow_mode INTEGER NOT NULL DEFAULT 0,
            locked INTEGER NOT NULL DEFAULT 0,
            last_id INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE messages (
            room TEXT NOT NULL,
            id INTEGER NOT NULL,
            author_id TEXT NOT NULL,
            author_name TEXT NOT NULL,
            kind INTEGER NOT NULL,
            text TEXT NOT NULL,
            sent_at INTEGER NOT NULL,
            client_message_id TEXT,
            hidden INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (room, id)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX messages_client_id ON messages (room, author_id, client_message_id)
            WHERE client_message_id IS NOT NULL;
        CREATE TABLE bans (
            room TEXT NOT NULL,
            user_id TEXT NOT NULL,
            until INTEGER,
            PRIMARY KEY (room, user_id)
        ) WITHOUT ROWID;
        """,
        """
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
        """,
        """
        CREATE TABLE agents (
            name TEXT PRIMARY KEY,
            json TEXT NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE TABLE topic_watches (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            room TEXT NOT NULL,
            topic TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            UNIQUE (room, topic)
        );
        CREATE INDEX verdicts_at ON verdicts (at);
        """,
        """
        CREATE TABLE llm_usage (
            minute INTEGER PRIMARY KEY,
            tokens INTEGER NOT NULL
        );
        """,
        """
        CREATE TABLE discussions (
            room TEXT PRIMARY KEY,
            state TEXT NOT NULL
        );
        """,
        // Which model decided, or why the LLM tier's answer is missing: kept with the verdict, not only in its live event.
        """
        ALTER TABLE verdicts ADD COLUMN model TEXT;
        ALTER TABLE verdicts ADD COLUMN fallback TEXT;
        """,
    ];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "chatroom-schema-" + Guid.NewGuid().ToString("N"));

    public ChatSchemaMigrationTests() => Directory.CreateDirectory(_folder);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public async Task AFileWrittenBeforeTheSplitOpensWithTheSameSchemaAndItsRows(int version)
    {
        // The reference is a file made by every pre-split migration, then brought up to date by the steps added since.
        var reference = Path.Combine(_folder, "reference.db");
        WriteWithPreSplitMigrations(reference, PreSplitMigrations.Count);
        await ChatDatabase.Open(reference, "NORMAL").DisposeAsync();
        var old = Path.Combine(_folder, "old.db");
        WriteWithPreSplitMigrations(old, version);
        if (version >= 1)
        {
            Execute(old, "INSERT INTO rooms (name, created_by, created_at, last_id) VALUES ('lobby', 'u1', 0, 1); " +
                "INSERT INTO messages (room, id, author_id, author_name, kind, text, sent_at) VALUES ('lobby', 1, 'u1', 'Ana', 0, 'kept', 0)");
        }

        await using (var database = ChatDatabase.Open(old, "NORMAL"))
        {
            var texts = await database.ReadAsync<string?>(async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT text FROM messages";
                var text = await command.ExecuteScalarAsync();
                return text as string;
            }, CancellationToken.None);
            Assert.Equal(version >= 1 ? "kept" : null, texts);
        }

        Assert.Equal(SchemaStep.ByVersion(ChatDatabase.Schema).Count, UserVersion(old));
        Assert.Equal(Schema(reference), Schema(old));
    }

    /// <summary>Steps added after the split (members and visibility, …) come after the released versions, never among them.</summary>
    [Fact]
    public void TheStoresStepsCoverEveryReleasedVersion() =>
        Assert.True(SchemaStep.ByVersion(ChatDatabase.Schema).Count >= PreSplitMigrations.Count);

    [Fact]
    public void AGapInTheVersionsIsRefusedBeforeAnyFileIsTouched()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SchemaStep.ByVersion([new(1, "CREATE TABLE a (x)"), new(3, "CREATE TABLE b (x)")]));
        Assert.Contains("version 2 is missing", error.Message);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>What the code before the split did: each migration in its own transaction, then <c>user_version</c>.</summary>
    private static void WriteWithPreSplitMigrations(string path, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Execute(path, $"BEGIN; {PreSplitMigrations[i]}; PRAGMA user_version = {i + 1}; COMMIT;");
        }

        if (count == 0)
        {
            Execute(path, "PRAGMA user_version = 0");
        }
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static int UserVersion(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Every table and index with its definition, white space folded (the stores indent their SQL differently).</summary>
    private static List<string> Schema(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            var sql = reader.IsDBNull(3) ? "" : Regex.Replace(reader.GetString(3), @"\s+", " ").Trim();
            rows.Add($"{reader.GetString(0)} {reader.GetString(1)} on {reader.GetString(2)}: {sql}");
        }

        return rows;
    }
}
