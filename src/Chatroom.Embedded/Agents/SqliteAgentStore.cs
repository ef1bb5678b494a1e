using System.Text.Json;
using Chatroom.Core.Agents;
using Chatroom.Core.Chat;
using Chatroom.Embedded.Sqlite;

namespace Chatroom.Embedded.Agents;

/// <summary>Agent definitions as JSON rows in the embedded SQLite file.</summary>
public sealed class SqliteAgentStore(SqliteDatabase database, TimeProvider time) : IAgentStore
{
    /// <summary>One row per agent, its definition as JSON.</summary>
    public static IReadOnlyList<SchemaStep> Schema { get; } =
    [
        new(3, """
            CREATE TABLE agents (
                name TEXT PRIMARY KEY,
                json TEXT NOT NULL,
                updated_at INTEGER NOT NULL
            );
            """),
    ];

    public Task<IReadOnlyList<AgentDefinition>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<AgentDefinition>>(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT json FROM agents ORDER BY name";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var agents = new List<AgentDefinition>();
            while (await reader.ReadAsync(cancellationToken))
            {
                agents.Add(Parse(reader.GetString(0)));
            }

            return agents;
        }, cancellationToken);

    public Task<AgentDefinition?> GetAsync(string name, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT json FROM agents WHERE name = $name";
            command.Parameters.AddWithValue("$name", name);
            return await command.ExecuteScalarAsync(cancellationToken) is string json ? Parse(json) : null;
        }, cancellationToken);

    public Task<bool> UpsertAsync(AgentDefinition definition, CancellationToken cancellationToken) =>
        WriteAsync(definition, upsert: true, cancellationToken);

    public Task<bool> TryCreateAsync(AgentDefinition definition, CancellationToken cancellationToken) =>
        WriteAsync(definition, upsert: false, cancellationToken);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM agents WHERE name = $name";
            command.Parameters.AddWithValue("$name", name);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    /// <summary>True when the row was created; an existing row is replaced only when <paramref name="upsert"/>.</summary>
    private Task<bool> WriteAsync(AgentDefinition definition, bool upsert, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var exists = connection.CreateCommand();
            exists.Transaction = transaction;
            exists.CommandText = "SELECT 1 FROM agents WHERE name = $name";
            exists.Parameters.AddWithValue("$name", definition.Name);
            var existed = await exists.ExecuteScalarAsync(cancellationToken) is not null;
            if (existed && !upsert)
            {
                return false;
            }

            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO agents (name, json, updated_at) VALUES ($name, $json, $at)
                ON CONFLICT (name) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at
                """;
            command.Parameters.AddWithValue("$name", definition.Name);
            command.Parameters.AddWithValue("$json", JsonSerializer.Serialize(definition, ChatJson.Options));
            command.Parameters.AddWithValue("$at", time.GetUtcNow().ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken);
            return !existed;
        }, cancellationToken);

    private static AgentDefinition Parse(string json) =>
        JsonSerializer.Deserialize<AgentDefinition>(json, ChatJson.Options) ?? throw new JsonException("empty agent definition");
}
