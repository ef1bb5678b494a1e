namespace Chatroom.Core.Webhooks;

/// <summary>Where a delivery stands: waiting for its next try, delivered, or given up on (dead letter).</summary>
public static class WebhookDeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Dead = "dead";
}

/// <summary>
/// One event for one subscription. <see cref="Id"/> is the <c>webhook-id</c> the receiver dedupes on: the same on every
/// try and on a redelivery. <see cref="Payload"/> is the exact body sent (and signed).
/// </summary>
public sealed record WebhookDelivery(
    string Id,
    string SubscriptionId,
    string EventType,
    string Payload,
    DateTimeOffset CreatedAt,
    string Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? LastAttemptAt = null,
    int? LastStatusCode = null,
    string? LastError = null,
    double? LastLatencyMs = null);
