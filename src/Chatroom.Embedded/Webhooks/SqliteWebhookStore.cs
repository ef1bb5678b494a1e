using System.Text.Json;
using Chatroom.Core.Chat;
using Chatroom.Core.Webhooks;
using Chatroom.Embedded.Sqlite;
using Microsoft.Data.Sqlite;

namespace Chatroom.Embedded.Webhooks;

/// <summary>
/// Outgoing webhooks in the embedded SQLite file: subscriptions, and deliveries as rows whose <c>next_at</c> is their
/// schedule. Each row keeps the record as JSON beside the columns the queries need.
/// </summary>
public sealed class SqliteWebhookStore(SqliteDatabase database) : IWebhookStore
{
    public static IReadOnlyList<SchemaStep> Schema { get; } =
    [
        new(12, """
            CREATE TABLE webhook_subscriptions (
                id TEXT PRIMARY KEY,
                created_at INTEGER NOT NULL,
                json TEXT NOT NULL
            );
            CREATE TABLE webhook_deliveries (
                id TEXT PRIMARY KEY,
                subscription_id TEXT NOT NULL,
                status TEXT NOT NULL,
                next_at INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                json TEXT NOT NULL
            );
            CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE status = 'pending';
            CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, created_at);
            """),
        new(16, "CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (created_at) WHERE status <> 'pending';"),
    ];

    public Task AddSubscriptionAsync(WebhookSubscription subscription, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, "INSERT INTO webhook_subscriptions (id, created_at, json) VALUES ($id, $at, $json)");
            command.Parameters.AddWithValue("$id", subscription.Id);
            command.Parameters.AddWithValue("$at", subscription.CreatedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$json", JsonSerializer.Serialize(subscription, ChatJson.Options));
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<IReadOnlyList<WebhookSubscription>> ListSubscriptionsAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<WebhookSubscription>>(async connection =>
        {
            await using var command = Command(connection, null, "SELECT json FROM webhook_subscriptions ORDER BY created_at, id");
            return await ReadAllAsync<WebhookSubscription>(command, cancellationToken);
        }, cancellationToken);

    public Task<WebhookSubscription?> GetSubscriptionAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            await using var command = Command(connection, null, "SELECT json FROM webhook_subscriptions WHERE id = $id");
            command.Parameters.AddWithValue("$id", id);
            return (await ReadAllAsync<WebhookSubscription>(command, cancellationToken)).FirstOrDefault();
        }, cancellationToken);

    public Task<bool> SetSecretAsync(string id, string secret, CancellationToken cancellationToken) =>
        ChangeSubscriptionAsync(id, found => found with { Secret = secret }, cancellationToken);

    public Task<bool> DeleteSubscriptionAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var deliveries = Command(connection, transaction, "DELETE FROM webhook_deliveries WHERE subscription_id = $id");
            deliveries.Parameters.AddWithValue("$id", id);
            await deliveries.ExecuteNonQueryAsync(cancellationToken);
            await using var subscription = Command(connection, transaction, "DELETE FROM webhook_subscriptions WHERE id = $id");
            subscription.Parameters.AddWithValue("$id", id);
            return await subscription.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task<int> PruneDeliveriesAsync(DateTimeOffset createdBefore, int max, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, """
                DELETE FROM webhook_deliveries WHERE id IN (
                    SELECT id FROM webhook_deliveries WHERE status <> 'pending' AND created_at < $before ORDER BY created_at LIMIT $max)
                """);
            command.Parameters.AddWithValue("$before", createdBefore.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$max", max);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<bool> DisableSubscriptionAsync(string id, string reason, CancellationToken cancellationToken) =>
        ChangeSubscriptionAsync(id, found => found with { Enabled = false, DisabledReason = reason }, cancellationToken);

    private Task<bool> ChangeSubscriptionAsync(string id, Func<WebhookSubscription, WebhookSubscription> change, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var read = Command(connection, transaction, "SELECT json FROM webhook_subscriptions WHERE id = $id");
            read.Parameters.AddWithValue("$id", id);
            if ((await ReadAllAsync<WebhookSubscription>(read, cancellationToken)).FirstOrDefault() is not { } found)
            {
                return false;
            }

            await using var write = Command(connection, transaction, "UPDATE webhook_subscriptions SET json = $json WHERE id = $id");
            write.Parameters.AddWithValue("$id", id);
            write.Parameters.AddWithValue("$json", JsonSerializer.Serialize(change(found), ChatJson.Options));
            await write.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }, cancellationToken);

    public Task EnqueueAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken) => deliveries.Count == 0
        ? Task.CompletedTask
        : database.WriteAsync(async (connection, transaction) =>
        {
            foreach (var delivery in deliveries)
            {
                await using var command = Command(connection, transaction, """
                    INSERT INTO webhook_deliveries (id, subscription_id, status, next_at, created_at, json)
                    VALUES ($id, $subscription, $status, $next, $created, $json) ON CONFLICT (id) DO NOTHING
                    """);
                Bind(command, delivery);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return deliveries.Count;
        }, cancellationToken);

    public Task<IReadOnlyList<WebhookDelivery>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<WebhookDelivery>>(async (connection, transaction) =>
        {
            await using var read = Command(connection, transaction, """
                SELECT json FROM webhook_deliveries WHERE status = 'pending' AND next_at <= $now ORDER BY next_at, id LIMIT $max
                """);
            read.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            read.Parameters.AddWithValue("$max", max);
            var due = await ReadAllAsync<WebhookDelivery>(read, cancellationToken);
            foreach (var delivery in due)
            {
                await using var claim = Command(connection, transaction, "UPDATE webhook_deliveries SET next_at = $next WHERE id = $id");
                claim.Parameters.AddWithValue("$id", delivery.Id);
                claim.Parameters.AddWithValue("$next", (now + lease).ToUnixTimeMilliseconds());
                await claim.ExecuteNonQueryAsync(cancellationToken);
            }

            return due;
        }, cancellationToken);

    public Task SaveAsync(WebhookDelivery delivery, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, """
                INSERT INTO webhook_deliveries (id, subscription_id, status, next_at, created_at, json)
                VALUES ($id, $subscription, $status, $next, $created, $json)
                ON CONFLICT (id) DO UPDATE SET status = excluded.status, next_at = excluded.next_at, json = excluded.json
                """);
            Bind(command, delivery);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<WebhookDelivery?> GetDeliveryAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            await using var command = Command(connection, null, "SELECT json FROM webhook_deliveries WHERE id = $id");
            command.Parameters.AddWithValue("$id", id);
            return (await ReadAllAsync<WebhookDelivery>(command, cancellationToken)).FirstOrDefault();
        }, cancellationToken);

    public Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string subscriptionId, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<WebhookDelivery>>(async connection =>
        {
            await using var command = Command(connection, null, """
                SELECT json FROM webhook_deliveries WHERE subscription_id = $subscription ORDER BY created_at DESC, id DESC LIMIT $limit
                """);
            command.Parameters.AddWithValue("$subscription", subscriptionId);
            command.Parameters.AddWithValue("$limit", limit);
            return await ReadAllAsync<WebhookDelivery>(command, cancellationToken);
        }, cancellationToken);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Bind(SqliteCommand command, WebhookDelivery delivery)
    {
        command.Parameters.AddWithValue("$id", delivery.Id);
        command.Parameters.AddWithValue("$subscription", delivery.SubscriptionId);
        command.Parameters.AddWithValue("$status", delivery.Status);
        command.Parameters.AddWithValue("$next", delivery.NextAttemptAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$created", delivery.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$json", JsonSerializer.Serialize(delivery, ChatJson.Options));
    }

    private static async Task<IReadOnlyList<T>> ReadAllAsync<T>(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(JsonSerializer.Deserialize<T>(reader.GetString(0), ChatJson.Options)!);
        }

        return rows;
    }
}
