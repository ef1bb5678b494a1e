using System.Threading.Channels;
using Chatroom.Core.Errors;
using Microsoft.Data.Sqlite;

namespace Chatroom.Embedded.Sqlite;

/// <summary>
/// The embedded database file. Writes go through one connection (SQLite has one writer anyway, and this avoids
/// busy retries) with group commit: every write waiting when the writer comes round runs in one transaction, each
/// inside its own savepoint, and one commit (one fsync) makes them all durable before any of them completes.
/// Reads use pooled connections under WAL. It knows transactions, not tables: each store brings its own
/// <see cref="SchemaStep"/>s, and the file's owner (<see cref="ChatDatabase"/>, the work queue) says which stores share it.
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    /// <summary>Writes committed together at most; bounds the time one commit holds the writer.</summary>
    private const int MaxBatch = 256;

    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _writerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // What the writer parks on between batches. Not a Task wait: that spins before it parks, which took 4 % of the
    // embedded host's CPU at 300 sends/s (docs/benchmarks.md, session 10).
    private readonly ManualResetEventSlim _wake = new(initialState: false, spinCount: 0);

    /// <summary>The writer's commands by SQL text, each prepared once (used by the writer thread alone; see <see cref="Prepared"/>).</summary>
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    private SqliteDatabase(string connectionString, SqliteConnection writer, string name)
    {
        _connectionString = connectionString;
        _writer = writer;

        // The writer has a thread of its own: every commit blocks in fsync (4 ms here, more on a busy disk), which must not
        // hold a thread-pool thread: a 2-core machine starts with two, and two databases would take both.
        new Thread(WriteLoop) { IsBackground = true, Name = $"SQLite writer ({name})" }.Start();
    }

    /// <summary>
    /// Opens the file and brings its schema up to date (<c>PRAGMA user_version</c> is the last version applied). Synchronous:
    /// SQLite is in-process file I/O, and this runs once at start-up.
    /// </summary>
    public static SqliteDatabase Open(string path, string synchronous, IEnumerable<SchemaStep> schema)
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
        Migrate(writer, SchemaStep.ByVersion(schema));
        return new SqliteDatabase(connectionString, writer, Path.GetFileName(path));
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the writer connection inside a transaction it may share with other writes, and
    /// completes only after that transaction committed. An exception from <paramref name="work"/> undoes its own
    /// changes alone; a failed commit fails every write in it.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite<T>(work, cancellationToken);
        if (!_writes.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SqliteDatabase));
        }

        return await pending.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// The writer's command for <paramref name="sql"/>, prepared the first time and reused by every write after, in
    /// <paramref name="transaction"/>: set its parameters with <see cref="SqliteParameters.Set"/> and run it; never
    /// dispose it. Only for code running inside <see cref="WriteAsync{T}"/>, with SQL text fixed in code (one cached
    /// command each). Preparing a statement costs more than running it: a message append took 55–64 µs with a new
    /// command per statement and 16–17 µs with these (docs/benchmarks.md).
    /// </summary>
    public SqliteCommand Prepared(SqliteTransaction transaction, string sql)
    {
        if (!ReferenceEquals(transaction.Connection, _writer))
        {
            throw new InvalidOperationException("Prepared commands belong to the writer: use them inside WriteAsync.");
        }

        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = _writer.CreateCommand();
            command.CommandText = sql;
            _prepared.Add(sql, command);
        }

        command.Transaction = transaction;
        return command;
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
        _writes.Writer.TryComplete();
        await _writerStopped.Task;
        await _writer.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    /// <summary>
    /// The writer thread. Blocking is what it is for: Microsoft.Data.Sqlite's async methods complete synchronously, so
    /// waiting on a batch waits for SQLite alone, and waiting for work parks only this thread.
    /// </summary>
    private void WriteLoop()
    {
        try
        {
            var batch = new List<PendingWrite>(MaxBatch);
            var done = new List<PendingWrite>(MaxBatch);
            while (WaitForWrites())
            {
                DrainAndCommit(batch, done);
            }
        }
        finally
        {
            foreach (var command in _prepared.Values)
            {
                command.Dispose();
            }

            _prepared.Clear();
            _wake.Dispose();
            _writerStopped.TrySetResult();
        }
    }

    /// <summary>Parks the writer thread until a write is queued; false once the queue is completed and empty.</summary>
    private bool WaitForWrites()
    {
        var ready = _writes.Reader.WaitToReadAsync();
        if (!ready.IsCompleted)
        {
            _wake.Reset();
            ready.GetAwaiter().UnsafeOnCompleted(_wake.Set);
            _wake.Wait();
        }

        return ready.GetAwaiter().GetResult();
    }

    private void DrainAndCommit(List<PendingWrite> batch, List<PendingWrite> done)
    {
        batch.Clear();
        done.Clear();
        while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var write))
        {
            if (!write.CancelIfRequested())
            {
                batch.Add(write);
            }
        }

        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            CommitBatchAsync(batch, done).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            // Whatever went wrong, the writer thread lives on for the next batch; this one's writers hear why.
            foreach (var write in batch)
            {
                write.Fail(e);
            }
        }
    }

    private async Task CommitBatchAsync(List<PendingWrite> batch, List<PendingWrite> done)
    {
        SqliteTransaction? transaction = null;
        try
        {
            transaction = _writer.BeginTransaction();
            foreach (var write in batch)
            {
                Prepared(transaction, "SAVEPOINT w").ExecuteNonQuery();
                try
                {
                    await write.RunAsync(_writer, transaction);
                    Prepared(transaction, "RELEASE w").ExecuteNonQuery();
                    done.Add(write);
                }
                catch (Exception e) when (e is not SqliteException { SqliteErrorCode: SqliteFull or SqliteIoError or SqliteCorrupt })
                {
                    Prepared(transaction, "ROLLBACK TO w").ExecuteNonQuery();
                    Prepared(transaction, "RELEASE w").ExecuteNonQuery();
                    write.Fail(e is SqliteException ? new BackendUnavailableException("The embedded database refused the write.", e) : e);
                }
            }

            transaction.Commit();
            foreach (var write in done)
            {
                write.Complete();
            }
        }
        catch (SqliteException e)
        {
            // The transaction as a whole failed (disk full, I/O error): nothing in it is stored, so nothing is acknowledged.
            try
            {
                transaction?.Rollback();
            }
            catch (SqliteException)
            {
                // The connection already rolled back on its own (SQLite does on SqliteFull and I/O errors).
            }

            Exception failure = e.SqliteErrorCode == SqliteFull
                ? new ChatException(ErrorCodes.StorageFull, "the server's disk is full; nothing was stored, try again later", inner: e)
                : new BackendUnavailableException("The embedded database refused the write.", e);
            foreach (var write in batch)
            {
                write.Fail(failure);
            }
        }
        finally
        {
            transaction?.Dispose();
        }
    }

    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteIoError = 10;

    /// <summary>A write waiting for the writer; its result is held until the transaction it ran in commits.</summary>
    private abstract class PendingWrite
    {
        public abstract bool CancelIfRequested();

        public abstract Task RunAsync(SqliteConnection connection, SqliteTransaction transaction);

        public abstract void Complete();

        public abstract void Fail(Exception error);
    }

    private sealed class PendingWrite<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken) : PendingWrite
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _completion.Task;

        public override bool CancelIfRequested() => cancellationToken.IsCancellationRequested && _completion.TrySetCanceled(cancellationToken);

        public override async Task RunAsync(SqliteConnection connection, SqliteTransaction transaction) =>
            _result = await work(connection, transaction);

        public override void Complete() => _completion.TrySetResult(_result);

        public override void Fail(Exception error) => _completion.TrySetException(error);
    }

    /// <summary>Applies every version above the file's own, each in one transaction with the new version number.</summary>
    private static void Migrate(SqliteConnection connection, IReadOnlyList<string> versions)
    {
        using var versionCommand = connection.CreateCommand();
        versionCommand.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt32(versionCommand.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        for (var i = version; i < versions.Count; i++)
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = versions[i] + $"; PRAGMA user_version = {i + 1};";
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
