using System.Text.Json;
using Chatroom.Core.Chat;
using Chatroom.Core.GuardianCases;
using Chatroom.Embedded.Sqlite;

namespace Chatroom.Embedded.GuardianCases;

/// <summary>The guardian agent's admin-set settings in the embedded SQLite file: at most one row, the settings as JSON.</summary>
public sealed class SqliteGuardianSettingsStore(SqliteDatabase database) : IGuardianSettingsStore
{
    public static IReadOnlyList<SchemaStep> Schema { get; } =
    [
        new(14, """
            CREATE TABLE guardian_settings (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                json TEXT NOT NULL
            );
            """),
    ];

    public Task<GuardianSettings?> GetAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT json FROM guardian_settings WHERE id = 1";
            return await command.ExecuteScalarAsync(cancellationToken) is string json
                ? JsonSerializer.Deserialize<GuardianSettings>(json, ChatJson.Options)
                : null;
        }, cancellationToken);

    public Task SaveAsync(GuardianSettings settings, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO guardian_settings (id, json) VALUES (1, $json) ON CONFLICT (id) DO UPDATE SET json = excluded.json";
            command.Parameters.AddWithValue("$json", JsonSerializer.Serialize(settings, ChatJson.Options));
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<bool> ResetAsync(CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM guardian_settings";
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);
}
