using Chatroom.Core.Agents;
using Chatroom.Embedded.Sqlite;

namespace Chatroom.Embedded.Agents;

/// <summary>Topic watches in the embedded SQLite file.</summary>
public sealed class SqliteTopicWatchStore(SqliteDatabase database) : ITopicWatchStore
{
    /// <summary>One row per watched (room, topic).</summary>
    public static IReadOnlyList<SchemaStep> Schema { get; } =
    [
        new(3, """
            CREATE TABLE topic_watches (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                room TEXT NOT NULL,
                topic TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                UNIQUE (room, topic)
            );
            """),
    ];

    public Task<TopicWatch> AddAsync(string room, string topic, string createdBy, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO topic_watches (room, topic, created_by, created_at) VALUES ($room, $topic, $by, $at)
                ON CONFLICT (room, topic) DO NOTHING;
                SELECT id, room, topic, created_by, created_at FROM topic_watches WHERE room = $room AND topic = $topic;
                """;
            command.Parameters.AddWithValue("$room", room);
            command.Parameters.AddWithValue("$topic", topic);
            command.Parameters.AddWithValue("$by", createdBy);
            command.Parameters.AddWithValue("$at", now.ToUnixTimeMilliseconds());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return new TopicWatch(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)));
        }, cancellationToken);

    public Task<bool> RemoveAsync(string room, string topic, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM topic_watches WHERE room = $room AND topic = $topic";
            command.Parameters.AddWithValue("$room", room);
            command.Parameters.AddWithValue("$topic", topic);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task<IReadOnlyList<TopicWatch>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<TopicWatch>>(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, room, topic, created_by, created_at FROM topic_watches ORDER BY id";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var watches = new List<TopicWatch>();
            while (await reader.ReadAsync(cancellationToken))
            {
                watches.Add(new TopicWatch(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
            }

            return watches;
        }, cancellationToken);
}
