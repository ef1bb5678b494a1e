using System.Text.Json;
using Chatroom.Core.Chat;
using Chatroom.Core.GuardianCases;
using Chatroom.Embedded.Sqlite;
using Microsoft.Data.Sqlite;

namespace Chatroom.Embedded.GuardianCases;

/// <summary>Guardian cases in the embedded SQLite file: the case as JSON, with the columns the queue filters on beside it.</summary>
public sealed class SqliteGuardianCaseStore(SqliteDatabase database) : IGuardianCaseStore
{
    /// <summary>One row per case; the window key is unique so a window opens one case.</summary>
    public static IReadOnlyList<SchemaStep> Schema { get; } =
    [
        new(10, """
            CREATE TABLE guardian_cases (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                window_key TEXT NOT NULL UNIQUE,
                subject TEXT NOT NULL,
                state TEXT NOT NULL,
                json TEXT NOT NULL
            );
            CREATE INDEX guardian_cases_subject ON guardian_cases (subject, id);
            """),
    ];

    public Task<(GuardianCase Case, bool Opened)> OpenAsync(GuardianCase draft, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            if (await ReadAsync(connection, transaction, "window_key = $key", "$key", draft.WindowKey, cancellationToken) is { } existing)
            {
                return (existing, false);
            }

            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO guardian_cases (window_key, subject, state, json) VALUES ($key, $subject, $state, '{}'); SELECT last_insert_rowid();";
            insert.Parameters.AddWithValue("$key", draft.WindowKey);
            insert.Parameters.AddWithValue("$subject", draft.SubjectUserId);
            insert.Parameters.AddWithValue("$state", draft.State);
            var id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
            var opened = draft with { Id = id };
            await WriteJsonAsync(connection, transaction, opened, cancellationToken);
            return (opened, true);
        }, cancellationToken);

    public Task<GuardianCase?> GetAsync(long id, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => ReadAsync(connection, null, "id = $id", "$id", id, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<GuardianCase>> ListAsync(string? state, string? subjectUserId, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<GuardianCase>>(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT json FROM guardian_cases
                WHERE ($state IS NULL OR state = $state) AND ($subject IS NULL OR subject = $subject)
                ORDER BY id DESC LIMIT $limit
                """;
            command.Parameters.AddWithValue("$state", (object?)state ?? DBNull.Value);
            command.Parameters.AddWithValue("$subject", (object?)subjectUserId ?? DBNull.Value);
            command.Parameters.AddWithValue("$limit", limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var cases = new List<GuardianCase>();
            while (await reader.ReadAsync(cancellationToken))
            {
                cases.Add(Parse(reader.GetString(0)));
            }

            return cases;
        }, cancellationToken);

    public Task<GuardianCase?> MarkReviewedAsync(long id, string moderator, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            if (await ReadAsync(connection, transaction, "id = $id", "$id", id, cancellationToken) is not { } found)
            {
                return null;
            }

            if (found.FirstReviewedAt is not null)
            {
                return found;
            }

            var reviewed = found with { FirstReviewedAt = at, AssignedTo = found.AssignedTo ?? moderator };
            await WriteJsonAsync(connection, transaction, reviewed, cancellationToken);
            return reviewed;
        }, cancellationToken);

    public Task<bool> ResolveAsync(long id, string state, string resolvedBy, string resolution, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            if (await ReadAsync(connection, transaction, "id = $id", "$id", id, cancellationToken) is not { State: GuardianCaseStates.Open } found)
            {
                return false;
            }

            await WriteJsonAsync(connection, transaction, found with
            {
                State = state,
                ResolvedBy = resolvedBy,
                Resolution = resolution,
                ResolvedAt = at,
                FirstReviewedAt = found.FirstReviewedAt ?? at,
                AssignedTo = found.AssignedTo ?? resolvedBy,
            }, cancellationToken);
            return true;
        }, cancellationToken);

    private static async Task<GuardianCase?> ReadAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string where, string name, object value, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT json FROM guardian_cases WHERE {where}";
        command.Parameters.AddWithValue(name, value);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? Parse(json) : null;
    }

    private static async Task WriteJsonAsync(SqliteConnection connection, SqliteTransaction transaction, GuardianCase value, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE guardian_cases SET state = $state, json = $json WHERE id = $id";
        command.Parameters.AddWithValue("$state", value.State);
        command.Parameters.AddWithValue("$json", JsonSerializer.Serialize(value, ChatJson.Options));
        command.Parameters.AddWithValue("$id", value.Id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static GuardianCase Parse(string json) => JsonSerializer.Deserialize<GuardianCase>(json, ChatJson.Options) ?? throw new JsonException("empty guardian case");
}
