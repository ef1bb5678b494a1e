using Chatroom.Core.Rooms;
using Chatroom.Embedded.Sqlite;

namespace Chatroom.Embedded.Rooms;

/// <summary>Rooms' written rules in the embedded SQLite file, a row per room that has any; the room's deletion removes it.</summary>
public sealed class SqliteRoomRulesStore(SqliteDatabase database) : IRoomRulesStore
{
    public static IReadOnlyList<SchemaStep> Schema { get; } =
    [
        new(9, """
            CREATE TABLE room_rules (
                room TEXT PRIMARY KEY,
                text TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                updated_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            """),
    ];

    public Task<RoomRules?> GetAsync(string room, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT text, updated_by, updated_at FROM room_rules WHERE room = $room";
            command.Parameters.AddWithValue("$room", room);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new RoomRules(room, reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)))
                : null;
        }, cancellationToken);

    public Task SetAsync(RoomRules rules, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO room_rules (room, text, updated_by, updated_at) VALUES ($room, $text, $by, $at)
                ON CONFLICT (room) DO UPDATE SET text = excluded.text, updated_by = excluded.updated_by, updated_at = excluded.updated_at
                """;
            command.Parameters.AddWithValue("$room", rules.Room);
            command.Parameters.AddWithValue("$text", rules.Text);
            command.Parameters.AddWithValue("$by", rules.UpdatedBy);
            command.Parameters.AddWithValue("$at", rules.UpdatedAt.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<bool> ClearAsync(string room, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM room_rules WHERE room = $room";
            command.Parameters.AddWithValue("$room", room);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);
}
