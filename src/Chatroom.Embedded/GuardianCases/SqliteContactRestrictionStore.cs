using Chatroom.Core.GuardianCases;
using Chatroom.Embedded.Sqlite;

namespace Chatroom.Embedded.GuardianCases;

/// <summary>Contact restrictions in the embedded SQLite file, one row per restricted user.</summary>
public sealed class SqliteContactRestrictionStore(SqliteDatabase database) : IContactRestrictionStore
{
    public static IReadOnlyList<SchemaStep> Schema { get; } =
    [
        new(10, """
            CREATE TABLE contact_restrictions (
                user_id TEXT PRIMARY KEY,
                reason TEXT NOT NULL,
                by_user TEXT NOT NULL,
                at INTEGER NOT NULL,
                case_id INTEGER
            );
            """),
    ];

    public Task RestrictAsync(ContactRestriction restriction, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO contact_restrictions (user_id, reason, by_user, at, case_id) VALUES ($user, $reason, $by, $at, $case)
                ON CONFLICT (user_id) DO UPDATE SET reason = excluded.reason, by_user = excluded.by_user, at = excluded.at, case_id = excluded.case_id
                """;
            command.Parameters.AddWithValue("$user", restriction.UserId);
            command.Parameters.AddWithValue("$reason", restriction.Reason);
            command.Parameters.AddWithValue("$by", restriction.By);
            command.Parameters.AddWithValue("$at", restriction.At.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$case", (object?)restriction.CaseId ?? DBNull.Value);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<ContactRestriction?> GetAsync(string userId, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT user_id, reason, by_user, at, case_id FROM contact_restrictions WHERE user_id = $user";
            command.Parameters.AddWithValue("$user", userId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new ContactRestriction(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.IsDBNull(4) ? null : reader.GetInt64(4))
                : null;
        }, cancellationToken);

    public Task<bool> LiftAsync(string userId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM contact_restrictions WHERE user_id = $user";
            command.Parameters.AddWithValue("$user", userId);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);
}
