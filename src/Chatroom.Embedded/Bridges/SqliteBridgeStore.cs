using System.Text.Json;
using Chatroom.Core.Bridges;
using Chatroom.Core.Chat;
using Chatroom.Embedded.Sqlite;
using Microsoft.Data.Sqlite;

namespace Chatroom.Embedded.Bridges;

/// <summary>
/// Bridges in the embedded SQLite file: a lease row per bridge (one process uses the file, but the lease keeps the same
/// contract as on Redis, so a host stopped without releasing is taken over once its lease runs out), the holder's state
/// as JSON, and a cursor per bridge and room.
/// </summary>
public sealed class SqliteBridgeStore(SqliteDatabase database, TimeProvider time) : IBridgeStore
{
    public static IReadOnlyList<SchemaStep> Schema { get; } =
    [
        new(13, """
            CREATE TABLE bridge_leases (
                bridge TEXT PRIMARY KEY,
                node TEXT NOT NULL,
                expires_at INTEGER NOT NULL
            );
            CREATE TABLE bridge_status (
                bridge TEXT PRIMARY KEY,
                json TEXT NOT NULL
            );
            CREATE TABLE bridge_cursors (
                bridge TEXT NOT NULL,
                room TEXT NOT NULL,
                last_id INTEGER NOT NULL,
                PRIMARY KEY (bridge, room)
            );
            """),
    ];

    public Task<bool> TryHoldAsync(string bridge, string node, TimeSpan ttl, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();

            // One statement: a free or expired lease is taken, the holder's own is renewed, anyone else's is left alone.
            await using var command = new SqliteCommand("""
                INSERT INTO bridge_leases (bridge, node, expires_at) VALUES ($bridge, $node, $expires)
                ON CONFLICT (bridge) DO UPDATE SET node = excluded.node, expires_at = excluded.expires_at
                WHERE bridge_leases.node = excluded.node OR bridge_leases.expires_at <= $now
                """, connection, transaction)
                .Set("$bridge", bridge).Set("$node", node).Set("$expires", now + (long)ttl.TotalMilliseconds).Set("$now", now);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task ReleaseAsync(string bridge, string node, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = new SqliteCommand("DELETE FROM bridge_leases WHERE bridge = $bridge AND node = $node", connection, transaction)
                .Set("$bridge", bridge).Set("$node", node);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<string?> GetHolderAsync(string bridge, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            await using var command = new SqliteCommand("SELECT node FROM bridge_leases WHERE bridge = $bridge AND expires_at > $now", connection)
                .Set("$bridge", bridge).Set("$now", time.GetUtcNow().ToUnixTimeMilliseconds());
            return await command.ExecuteScalarAsync(cancellationToken) as string;
        }, cancellationToken);

    public Task SaveStatusAsync(BridgeStatus status, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = new SqliteCommand("""
                INSERT INTO bridge_status (bridge, json) VALUES ($bridge, $json) ON CONFLICT (bridge) DO UPDATE SET json = excluded.json
                """, connection, transaction)
                .Set("$bridge", status.Name).Set("$json", JsonSerializer.Serialize(status, ChatJson.Options));
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<IReadOnlyList<BridgeStatus>> ListStatusesAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<BridgeStatus>>(async connection =>
        {
            await using var command = new SqliteCommand("SELECT json FROM bridge_status ORDER BY bridge", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var statuses = new List<BridgeStatus>();
            while (await reader.ReadAsync(cancellationToken))
            {
                statuses.Add(JsonSerializer.Deserialize<BridgeStatus>(reader.GetString(0), ChatJson.Options)!);
            }

            return statuses;
        }, cancellationToken);

    public Task<long?> GetCursorAsync(string bridge, string room, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            await using var command = new SqliteCommand("SELECT last_id FROM bridge_cursors WHERE bridge = $bridge AND room = $room", connection)
                .Set("$bridge", bridge).Set("$room", room);
            return await command.ExecuteScalarAsync(cancellationToken) is long id ? id : (long?)null;
        }, cancellationToken);

    public Task AdvanceCursorAsync(string bridge, string room, long messageId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = new SqliteCommand("""
                INSERT INTO bridge_cursors (bridge, room, last_id) VALUES ($bridge, $room, $id)
                ON CONFLICT (bridge, room) DO UPDATE SET last_id = max(bridge_cursors.last_id, excluded.last_id)
                """, connection, transaction)
                .Set("$bridge", bridge).Set("$room", room).Set("$id", messageId);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
