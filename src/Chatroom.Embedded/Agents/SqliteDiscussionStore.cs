using System.Text.Json;
using Chatroom.Core.Agents;
using Chatroom.Core.Chat;
using Chatroom.Embedded.Sqlite;
using Microsoft.Data.Sqlite;

namespace Chatroom.Embedded.Agents;

/// <summary>Running discussions in the embedded SQLite file, one JSON row per room; claims and updates are read-modify-write under the single writer.</summary>
public sealed class SqliteDiscussionStore(SqliteDatabase database) : IDiscussionStore
{
    /// <summary>One row per room with a running discussion, its state as JSON.</summary>
    public static IReadOnlyList<SchemaStep> Schema { get; } =
    [
        new(5, """
            CREATE TABLE discussions (
                room TEXT PRIMARY KEY,
                state TEXT NOT NULL
            );
            """),
    ];

    public Task<bool> TryStartAsync(DiscussionState discussion, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO discussions (room, state) VALUES ($room, $state) ON CONFLICT (room) DO NOTHING";
            command.Parameters.AddWithValue("$room", discussion.Room);
            command.Parameters.AddWithValue("$state", JsonSerializer.Serialize(discussion, ChatJson.Options));
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task<DiscussionState?> GetAsync(string room, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection => await ReadAsync(connection, null, room, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<DiscussionState>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<DiscussionState>>(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT state FROM discussions ORDER BY room";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var all = new List<DiscussionState>();
            while (await reader.ReadAsync(cancellationToken))
            {
                all.Add(Parse(reader.GetString(0)));
            }

            return all;
        }, cancellationToken);

    public Task<DiscussionState?> TryClaimAsync(string room, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var current = await ReadAsync(connection, transaction, room, cancellationToken);
            if (current is null || (current.Owner is not null && current.Owner != owner && current.LeaseUntil > now))
            {
                return null;
            }

            var claimed = current with { Owner = owner, LeaseUntil = leaseUntil };
            await WriteAsync(connection, transaction, claimed, cancellationToken);
            return claimed;
        }, cancellationToken);

    public Task<bool> UpdateAsync(string room, string owner, int turnsTaken, long lastMessageId, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var current = await ReadAsync(connection, transaction, room, cancellationToken);
            if (current is null || current.Owner != owner)
            {
                return false;
            }

            await WriteAsync(connection, transaction, current with { TurnsTaken = turnsTaken, LastMessageId = lastMessageId, LeaseUntil = leaseUntil }, cancellationToken);
            return true;
        }, cancellationToken);

    public Task<DiscussionState?> RemoveAsync(string room, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var current = await ReadAsync(connection, transaction, room, cancellationToken);
            if (current is null)
            {
                return null;
            }

            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM discussions WHERE room = $room";
            command.Parameters.AddWithValue("$room", room);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return current;
        }, cancellationToken);

    private static async Task<DiscussionState?> ReadAsync(SqliteConnection connection, SqliteTransaction? transaction, string room, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT state FROM discussions WHERE room = $room";
        command.Parameters.AddWithValue("$room", room);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? Parse(json) : null;
    }

    private static async Task WriteAsync(SqliteConnection connection, SqliteTransaction transaction, DiscussionState state, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE discussions SET state = $state WHERE room = $room";
        command.Parameters.AddWithValue("$room", state.Room);
        command.Parameters.AddWithValue("$state", JsonSerializer.Serialize(state, ChatJson.Options));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DiscussionState Parse(string json) =>
        JsonSerializer.Deserialize<DiscussionState>(json, ChatJson.Options) ?? throw new JsonException("empty discussion");
}
