using System.Globalization;
using Chatroom.Core.Contacts;
using Chatroom.Embedded.Sqlite;
using Microsoft.Data.Sqlite;

namespace Chatroom.Embedded.Contacts;

/// <summary>Participant profiles in the embedded SQLite file, one row per person.</summary>
public sealed class SqliteParticipantStore(SqliteDatabase database) : IParticipantStore
{
    private const string Columns = "user_id, birth_date, guardian_state, guardian_user_id, direct_messages, updated_at";

    public static IReadOnlyList<SchemaStep> Schema { get; } =
    [
        new(8, """
            CREATE TABLE participants (
                user_id TEXT PRIMARY KEY,
                birth_date TEXT NULL,
                guardian_state TEXT NOT NULL,
                guardian_user_id TEXT NULL,
                direct_messages TEXT NOT NULL,
                updated_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            """),
    ];

    public Task SetAsync(ParticipantProfile profile, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"""
                INSERT INTO participants ({Columns}) VALUES ($id, $born, $state, $guardian, $dm, $at)
                ON CONFLICT (user_id) DO UPDATE SET birth_date = excluded.birth_date, guardian_state = excluded.guardian_state,
                    guardian_user_id = excluded.guardian_user_id, direct_messages = excluded.direct_messages,
                    updated_at = excluded.updated_at
                """;
            command.Parameters.AddWithValue("$id", profile.UserId);
            command.Parameters.AddWithValue("$born", (object?)profile.BirthDate?.ToString("O", CultureInfo.InvariantCulture) ?? DBNull.Value);
            command.Parameters.AddWithValue("$state", profile.GuardianState);
            command.Parameters.AddWithValue("$guardian", (object?)profile.GuardianUserId ?? DBNull.Value);
            command.Parameters.AddWithValue("$dm", profile.DirectMessages);
            command.Parameters.AddWithValue("$at", profile.UpdatedAt.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public async Task<ParticipantProfile?> GetAsync(string userId, CancellationToken cancellationToken) =>
        (await GetManyAsync([userId], cancellationToken)).GetValueOrDefault(userId);

    public Task<IReadOnlyDictionary<string, ParticipantProfile>> GetManyAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        if (userIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<string, ParticipantProfile>>(new Dictionary<string, ParticipantProfile>());
        }

        return database.ReadAsync<IReadOnlyDictionary<string, ParticipantProfile>>(async connection =>
        {
            await using var command = connection.CreateCommand();
            // json_each takes the whole id list as one parameter, so any number of ids is one statement.
            command.CommandText = $"SELECT {Columns} FROM participants WHERE user_id IN (SELECT value FROM json_each($ids))";
            command.Parameters.AddWithValue("$ids", System.Text.Json.JsonSerializer.Serialize(userIds));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var profiles = new Dictionary<string, ParticipantProfile>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                var profile = Read(reader);
                profiles[profile.UserId] = profile;
            }

            return profiles;
        }, cancellationToken);
    }

    public Task<bool> RemoveAsync(string userId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM participants WHERE user_id = $id";
            command.Parameters.AddWithValue("$id", userId);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    private static ParticipantProfile Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.IsDBNull(1) ? null : DateOnly.ParseExact(reader.GetString(1), "O", CultureInfo.InvariantCulture),
        reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.GetString(4),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)));
}
