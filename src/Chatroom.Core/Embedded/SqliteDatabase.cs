using Chatroom.Core.Errors;
using Microsoft.Data.Sqlite;

namespace Chatroom.Core.Embedded;

/// <summary>
/// The embedded database file. Writes go through one connection, one at a time (SQLite has one
/// writer anyway, and this avoids busy retries); reads use pooled connections under WAL.
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    /// <summary>The chat database: rooms, messages, bans, moderation, agents, watches, usage.</summary>
    public static readonly IReadOnlyList<string> ChatMigrations =
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
    ];

    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    private SqliteDatabase(string connectionString, SqliteConnection writer)
    {
        _connectionString = connectionString;
        _writer = writer;
    }

    /// <summary>Opens (and migrates) the file. Synchronous: SQLite is in-process file I/O, and this runs once at start-up.</summary>
    public static SqliteDatabase Open(string path, string synchronous) => Open(path, synchronous, ChatMigrations);

    /// <summary>Opens a database file with its own schema history (<c>PRAGMA user_version</c> counts the migrations applied).</summary>
    public static SqliteDatabase Open(string path, string synchronous, IReadOnlyList<string> migrations)
    {
        if (synchronous is not ("FULL" or "NORMAL" or "EXTRA"))
        {
            throw new ArgumentException("SqliteSynchronous must be FULL, NORMAL or EXTRA.", nameof(synchronous));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 5,
        }.ToString();

        var writer = new SqliteConnection(connectionString);
        writer.Open();
        Execute(writer, $"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous};");
        Migrate(writer, migrations);
        return new SqliteDatabase(connectionString, writer);
    }

    /// <summary>Runs <paramref name="work"/> on the writer connection inside one transaction.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await using var transaction = (SqliteTransaction)await _writer.BeginTransactionAsync(cancellationToken);
            var result = await work(_writer, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (SqliteException e)
        {
            throw new BackendUnavailableException("The embedded database refused the write.", e);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> on a pooled read connection.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            return await work(connection);
        }
        catch (SqliteException e)
        {
            throw new BackendUnavailableException("The embedded database refused the read.", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        _writeGate.Dispose();
        SqliteConnection.ClearAllPools();
    }

    private static void Migrate(SqliteConnection connection, IReadOnlyList<string> migrations)
    {
        using var versionCommand = connection.CreateCommand();
        versionCommand.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt32(versionCommand.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        for (var i = version; i < migrations.Count; i++)
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = migrations[i] + $"; PRAGMA user_version = {i + 1};";
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
