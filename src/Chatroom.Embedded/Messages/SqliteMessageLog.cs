using Chatroom.Core.Errors;
using Chatroom.Core.Messages;
using Chatroom.Embedded.Sqlite;
using Microsoft.Data.Sqlite;

namespace Chatroom.Embedded.Messages;

/// <summary>The message log in the embedded SQLite file; ids come from the room's counter.</summary>
public sealed class SqliteMessageLog(SqliteDatabase database) : IMessageLog
{
    /// <summary>Messages by room and id; a client's retry finds its first copy through the client message id.</summary>
    public static IReadOnlyList<SchemaStep> Schema { get; } =
    [
        new(1, """
            CREATE TABLE messages (
                room TEXT NOT NULL,
                id INTEGER NOT NULL,
                author_id TEXT NOT NULL,
                author_name TEXT NOT NULL,
                kind INTEGER NOT NULL,
                text TEXT NOT NULL,
                sent_at INTEGER NOT NULL,
                client_message_id TEXT,
                hidden INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (room, id)
            ) WITHOUT ROWID;
            CREATE UNIQUE INDEX messages_client_id ON messages (room, author_id, client_message_id)
                WHERE client_message_id IS NOT NULL;
            """),
        new(15, "ALTER TABLE messages ADD COLUMN hop INTEGER NOT NULL DEFAULT 0;"),
    ];

    private const string Columns = "room, id, author_id, author_name, kind, text, sent_at, client_message_id, hidden, hop";
    private const string FindRetrySql = $"SELECT {Columns} FROM messages WHERE room = $room AND author_id = $author AND client_message_id = $clientId";
    private const string NextIdSql = "UPDATE rooms SET last_id = last_id + 1 WHERE name = $room RETURNING last_id";
    private const string InsertSql = $"INSERT INTO messages ({Columns}) VALUES ($room, $id, $author, $authorName, $kind, $text, $sentAt, $clientId, 0, $hop)";

    public Task<AppendResult> AppendAsync(NewMessage message, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (_, transaction) =>
        {
            // The writer's prepared commands: an append is three statements, run hundreds of times a second.
            if (message.ClientMessageId is not null)
            {
                var existing = database.Prepared(transaction, FindRetrySql)
                    .Set("$room", message.Room)
                    .Set("$author", message.AuthorId)
                    .Set("$clientId", message.ClientMessageId);
                await using var reader = await existing.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    return new AppendResult(ReadMessage(reader), Duplicate: true);
                }
            }

            var next = database.Prepared(transaction, NextIdSql).Set("$room", message.Room);
            var id = await next.ExecuteScalarAsync(cancellationToken) is long value
                ? value
                : throw new ChatException(ErrorCodes.UnknownRoom, $"there is no room '{message.Room}'");

            var stored = new ChatMessage(message.Room, id, message.AuthorId, message.AuthorName, message.Kind,
                message.Text, DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()), message.ClientMessageId, Hop: message.Hop);
            await database.Prepared(transaction, InsertSql)
                .Set("$room", stored.Room)
                .Set("$id", stored.Id)
                .Set("$author", stored.AuthorId)
                .Set("$authorName", stored.AuthorName)
                .Set("$kind", (int)stored.Kind)
                .Set("$text", stored.Text)
                .Set("$sentAt", stored.SentAt.ToUnixTimeMilliseconds())
                .Set("$clientId", stored.ClientMessageId)
                .Set("$hop", stored.Hop)
                .ExecuteNonQueryAsync(cancellationToken);
            return new AppendResult(stored, Duplicate: false);
        }, cancellationToken);

    public Task<IReadOnlyList<ChatMessage>> ReadAsync(string room, MessageQuery query, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ChatMessage>>(async connection =>
        {
            await using var command = connection.CreateCommand();
            var oldestFirst = query.After is not null && query.Before is null;
            command.CommandText = $"""
                SELECT {Columns} FROM messages
                WHERE room = $room AND id > $after AND id < $before
                ORDER BY id {(oldestFirst ? "ASC" : "DESC")}
                LIMIT $limit
                """;
            command.Parameters.AddWithValue("$room", room);
            command.Parameters.AddWithValue("$after", query.After ?? 0);
            command.Parameters.AddWithValue("$before", query.Before ?? long.MaxValue);
            command.Parameters.AddWithValue("$limit", query.Limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var page = new List<ChatMessage>(Math.Min(query.Limit, 256));
            while (await reader.ReadAsync(cancellationToken))
            {
                page.Add(ReadMessage(reader));
            }

            if (!oldestFirst)
            {
                page.Reverse();
            }

            return page;
        }, cancellationToken);

    public Task<ChatMessage?> GetAsync(string room, long id, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM messages WHERE room = $room AND id = $id";
            command.Parameters.AddWithValue("$room", room);
            command.Parameters.AddWithValue("$id", id);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? ReadMessage(reader) : null;
        }, cancellationToken);

    public Task<bool> SetHiddenAsync(string room, long id, bool hidden, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "UPDATE messages SET hidden = $hidden WHERE room = $room AND id = $id";
            command.Parameters.AddWithValue("$room", room);
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$hidden", hidden);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task<long> CountAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            // Ids are never reused and messages leave only with their room, so the counters add up to the count.
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COALESCE(SUM(last_id), 0) FROM rooms";
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken));
        }, cancellationToken);

    private static ChatMessage ReadMessage(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt64(1),
        reader.GetString(2),
        reader.GetString(3),
        (MessageKind)reader.GetInt32(4),
        reader.GetString(5),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.GetBoolean(8),
        reader.GetInt32(9));
}
