using Chatroom.Core.Contacts;
using Chatroom.Embedded.Sqlite;

namespace Chatroom.Embedded.Contacts;

/// <summary>Blocks in the chat file: one row per (blocker, blocked).</summary>
public sealed class SqliteBlockStore(SqliteDatabase database) : IBlockStore
{
    public static IReadOnlyList<SchemaStep> Schema { get; } =
    [
        new(11, """
            CREATE TABLE blocks (
                user_id TEXT NOT NULL,
                blocked_id TEXT NOT NULL,
                at INTEGER NOT NULL,
                PRIMARY KEY (user_id, blocked_id)
            ) WITHOUT ROWID;
            """),
    ];

    public Task<bool> BlockAsync(string userId, string blockedUserId, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO blocks (user_id, blocked_id, at) VALUES ($user, $blocked, $at) ON CONFLICT DO NOTHING";
            command.Parameters.AddWithValue("$user", userId);
            command.Parameters.AddWithValue("$blocked", blockedUserId);
            command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task<bool> UnblockAsync(string userId, string blockedUserId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM blocks WHERE user_id = $user AND blocked_id = $blocked";
            command.Parameters.AddWithValue("$user", userId);
            command.Parameters.AddWithValue("$blocked", blockedUserId);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task<bool> IsBlockedAsync(string userId, string blockedUserId, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1 FROM blocks WHERE user_id = $user AND blocked_id = $blocked";
            command.Parameters.AddWithValue("$user", userId);
            command.Parameters.AddWithValue("$blocked", blockedUserId);
            return await command.ExecuteScalarAsync(cancellationToken) is not null;
        }, cancellationToken);

    public Task<IReadOnlyList<string>> ListAsync(string userId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<string>>(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT blocked_id FROM blocks WHERE user_id = $user ORDER BY blocked_id";
            command.Parameters.AddWithValue("$user", userId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var blocked = new List<string>();
            while (await reader.ReadAsync(cancellationToken))
            {
                blocked.Add(reader.GetString(0));
            }

            return blocked;
        }, cancellationToken);
}
