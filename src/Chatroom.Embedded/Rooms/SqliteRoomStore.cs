using Chatroom.Core.Rooms;
using Chatroom.Embedded.Sqlite;
using Microsoft.Data.Sqlite;

namespace Chatroom.Embedded.Rooms;

/// <summary>
/// Rooms, settings, bans and members in the embedded SQLite file. What a send checks (the room, its bans) is served from
/// <see cref="RoomStateCache"/>; every change to those empties that cache once committed. Members are read at join and
/// in lists, never per send, so they are not cached (read markers move too often to be worth it).
/// </summary>
public sealed class SqliteRoomStore(SqliteDatabase database, RoomStateCache cache) : IRoomStore
{
    /// <summary>Rooms with their settings and message counter (<see cref="SqliteMessageLog"/> takes ids from it), bans, and members.</summary>
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
        new(7, """
            ALTER TABLE rooms ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public';
            CREATE TABLE room_members (
                room TEXT NOT NULL,
                user_id TEXT NOT NULL,
                role TEXT NOT NULL,
                since INTEGER NOT NULL,
                last_read INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (room, user_id)
            ) WITHOUT ROWID;
            CREATE INDEX room_members_by_user ON room_members (user_id, room);
            """),
    ];

    private const string RoomColumns = "name, topic, created_by, created_at, slow_mode, locked, visibility";
    private const string MemberColumns = "user_id, role, since, last_read";
    private const string RoomKind = "room";
    private const string BansKind = "bans";

    public Task<bool> TryCreateAsync(Room room, CancellationToken cancellationToken) => ChangeAsync(database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO rooms (name, topic, created_by, created_at, slow_mode, locked, visibility)
                VALUES ($name, $topic, $createdBy, $createdAt, $slowMode, $locked, $visibility)
                ON CONFLICT (name) DO NOTHING
                """;
            command.Parameters.AddWithValue("$name", room.Name);
            command.Parameters.AddWithValue("$topic", (object?)room.Topic ?? DBNull.Value);
            command.Parameters.AddWithValue("$createdBy", room.CreatedBy);
            command.Parameters.AddWithValue("$createdAt", room.CreatedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$slowMode", room.SlowModeSeconds);
            command.Parameters.AddWithValue("$locked", room.Locked);
            command.Parameters.AddWithValue("$visibility", room.Visibility);
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
                DELETE FROM room_members WHERE room = $name;
                DELETE FROM verdicts WHERE room = $name;
                DELETE FROM flags WHERE room = $name;
                DELETE FROM mutes WHERE room = $name;
                DELETE FROM topic_watches WHERE room = $name;
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

    public Task<bool> SetMemberAsync(string room, RoomMember member, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO room_members (room, user_id, role, since)
                SELECT $room, $user, $role, $since WHERE EXISTS (SELECT 1 FROM rooms WHERE name = $room)
                ON CONFLICT (room, user_id) DO UPDATE SET role = excluded.role, since = excluded.since
                """;
            command.Parameters.AddWithValue("$room", room);
            command.Parameters.AddWithValue("$user", member.UserId);
            command.Parameters.AddWithValue("$role", member.Role);
            command.Parameters.AddWithValue("$since", member.Since.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task<RoomMember?> GetMemberAsync(string room, string userId, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {MemberColumns} FROM room_members WHERE room = $room AND user_id = $user";
            command.Parameters.AddWithValue("$room", room);
            command.Parameters.AddWithValue("$user", userId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? ReadMember(reader) : null;
        }, cancellationToken);

    public Task<bool> RemoveMemberAsync(string room, string userId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM room_members WHERE room = $room AND user_id = $user";
            command.Parameters.AddWithValue("$room", room);
            command.Parameters.AddWithValue("$user", userId);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task<IReadOnlyList<RoomMember>> ListMembersAsync(string room, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<RoomMember>>(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {MemberColumns} FROM room_members WHERE room = $room ORDER BY user_id";
            command.Parameters.AddWithValue("$room", room);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var members = new List<RoomMember>();
            while (await reader.ReadAsync(cancellationToken))
            {
                members.Add(ReadMember(reader));
            }

            return members;
        }, cancellationToken);

    public Task<IReadOnlyList<string>> ListRoomsOfAsync(string userId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<string>>(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT room FROM room_members WHERE user_id = $user ORDER BY room";
            command.Parameters.AddWithValue("$user", userId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rooms = new List<string>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rooms.Add(reader.GetString(0));
            }

            return rooms;
        }, cancellationToken);

    public Task MarkReadAsync(string room, string userId, long messageId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "UPDATE room_members SET last_read = max(last_read, $id) WHERE room = $room AND user_id = $user";
            command.Parameters.AddWithValue("$room", room);
            command.Parameters.AddWithValue("$user", userId);
            command.Parameters.AddWithValue("$id", messageId);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

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

    private static RoomMember ReadMember(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
        reader.GetInt64(3));

    private static Room ReadRoom(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.IsDBNull(1) ? null : reader.GetString(1),
        reader.GetString(2),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
        reader.GetInt32(4),
        reader.GetBoolean(5),
        reader.GetString(6));
}
