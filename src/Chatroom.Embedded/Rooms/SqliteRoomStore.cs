using Chatroom.Core.Rooms;
using Chatroom.Embedded.Sqlite;
using Microsoft.Data.Sqlite;

namespace Chatroom.Embedded.Rooms;

/// <summary>
/// Rooms, settings and bans in the embedded SQLite file. What a send checks (the room, its bans) is served from
/// <see cref="RoomStateCache"/>; every change here empties that cache once committed.
/// </summary>
public sealed class SqliteRoomStore(SqliteDatabase database, RoomStateCache cache) : IRoomStore
{
    /// <summary>Rooms with their settings and message counter (<see cref="SqliteMessageLog"/> takes ids from it), and bans.</summary>
    public static IReadOnlyList<SchemaStep> Schema { get; } =
    [
        new(1, """
            CREATE TABLE rooms (
                name TEXT PRIMARY KEY,
                topic TEXT,
                created_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                slow_mode INTEGER NOT NULL DEFAULT 0,
                locked INTEGER NOT NULL DEFAULT 0,
                last_id INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE bans (
                room TEXT NOT NULL,
                user_id TEXT NOT NULL,
                until INTEGER,
                PRIMARY KEY (room, user_id)
            ) WITHOUT ROWID;
            """),
    ];

    private const string RoomColumns = "name, topic, created_by, created_at, slow_mode, locked";
    private const string RoomKind = "room";
    private const string BansKind = "bans";

    public Task<bool> TryCreateAsync(Room room, CancellationToken cancellationToken) => ChangeAsync(database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO rooms (name, topic, created_by, created_at, slow_mode, locked)
                VALUES ($name, $topic, $createdBy, $createdAt, $slowMode, $locked)
                ON CONFLICT (name) DO NOTHING
                """;
            command.Parameters.AddWithValue("$name", room.Name);
            command.Parameters.AddWithValue("$topic", (object?)room.Topic ?? DBNull.Value);
            command.Parameters.AddWithValue("$createdBy", room.CreatedBy);
            command.Parameters.AddWithValue("$createdAt", room.CreatedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$slowMode", room.SlowModeSeconds);
            command.Parameters.AddWithValue("$locked", room.Locked);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken));

    public Task<Room?> GetAsync(string name, CancellationToken cancellationToken) => cache.GetAsync(RoomKind, name, () =>
        database.ReadAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {RoomColumns} FROM rooms WHERE name = $name";
            command.Parameters.AddWithValue("$name", name);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? ReadRoom(reader) : null;
        }, cancellationToken));

    public Task<IReadOnlyList<Room>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Room>>(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {RoomColumns} FROM rooms ORDER BY name";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rooms = new List<Room>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rooms.Add(ReadRoom(reader));
            }

            return rooms;
        }, cancellationToken);

    public Task<bool> UpdateSettingsAsync(string name, int slowModeSeconds, bool locked, CancellationToken cancellationToken) => ChangeAsync(
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "UPDATE rooms SET slow_mode = $slowMode, locked = $locked WHERE name = $name";
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$slowMode", slowModeSeconds);
            command.Parameters.AddWithValue("$locked", locked);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken));

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => ChangeAsync(
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                DELETE FROM messages WHERE room = $name;
                DELETE FROM bans WHERE room = $name;
                DELETE FROM verdicts WHERE room = $name;
                DELETE FROM flags WHERE room = $name;
                DELETE FROM mutes WHERE room = $name;
                DELETE FROM topic_watches WHERE room = $name;
                DELETE FROM room_rules WHERE room = $name;
                DELETE FROM rooms WHERE name = $name;
                """;
            command.Parameters.AddWithValue("$name", name);
            await command.ExecuteNonQueryAsync(cancellationToken);
            await using var changes = connection.CreateCommand();
            changes.Transaction = transaction;
            changes.CommandText = "SELECT changes()";
            return Convert.ToInt64(await changes.ExecuteScalarAsync(cancellationToken)) == 1;
        }, cancellationToken));

    public Task BanAsync(string room, string userId, DateTimeOffset? until, CancellationToken cancellationToken) => ChangeAsync(
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO bans (room, user_id, until) VALUES ($room, $user, $until)
                ON CONFLICT (room, user_id) DO UPDATE SET until = excluded.until
                """;
            command.Parameters.AddWithValue("$room", room);
            command.Parameters.AddWithValue("$user", userId);
            command.Parameters.AddWithValue("$until", until is { } u ? u.ToUnixTimeMilliseconds() : DBNull.Value);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken));

    public Task UnbanAsync(string room, string userId, CancellationToken cancellationToken) => ChangeAsync(
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM bans WHERE room = $room AND user_id = $user";
            command.Parameters.AddWithValue("$room", room);
            command.Parameters.AddWithValue("$user", userId);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken));

    public async Task<bool> IsBannedAsync(string room, string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The room's bans (a room has few), read once and kept until a change: a ban ends by its time here.
        var bans = await cache.GetAsync(BansKind, room, () => database.ReadAsync<Dictionary<string, long>?>(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT user_id, until FROM bans WHERE room = $room";
            command.Parameters.AddWithValue("$room", room);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var found = new Dictionary<string, long>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                found[reader.GetString(0)] = reader.IsDBNull(1) ? long.MaxValue : reader.GetInt64(1);
            }

            return found;
        }, cancellationToken));
        return bans!.TryGetValue(userId, out var until) && until > now.ToUnixTimeMilliseconds();
    }

    private async Task<T> ChangeAsync<T>(Task<T> write)
    {
        try
        {
            return await write;
        }
        finally
        {
            cache.Invalidate();
        }
    }

    private static Room ReadRoom(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.IsDBNull(1) ? null : reader.GetString(1),
        reader.GetString(2),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
        reader.GetInt32(4),
        reader.GetBoolean(5));
}
