namespace Chatroom.Core.Webhooks;

/// <summary>
/// Port: outgoing webhook subscriptions and their deliveries, durable so a delivery outlives a restart. Deliveries are a
/// schedule: due ones are claimed for a lease (a worker that dies mid-send leaves them to be claimed again after it).
/// </summary>
public interface IWebhookStore
{
    Task AddSubscriptionAsync(WebhookSubscription subscription, CancellationToken cancellationToken);

    Task<IReadOnlyList<WebhookSubscription>> ListSubscriptionsAsync(CancellationToken cancellationToken);

    Task<WebhookSubscription?> GetSubscriptionAsync(string id, CancellationToken cancellationToken);

    /// <summary>A new signing secret for the subscription (the old one stops at once); false when there is none.</summary>
    Task<bool> SetSecretAsync(string id, string secret, CancellationToken cancellationToken);

    /// <summary>Removes the subscription and its whole delivery log; false when there is none.</summary>
    Task<bool> DeleteSubscriptionAsync(string id, CancellationToken cancellationToken);

    /// <summary>Stops deliveries to the subscription; false when there is none.</summary>
    Task<bool> DisableSubscriptionAsync(string id, string reason, CancellationToken cancellationToken);

    /// <summary>Adds deliveries; one whose id is stored already is left as it is (re-processing an event adds nothing).</summary>
    Task EnqueueAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> pending deliveries due at <paramref name="now"/>, oldest due first; none of them is due again before <paramref name="now"/> + <paramref name="lease"/>.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken);

    /// <summary>Stores a delivery's new state (an attempt's outcome, or a redelivery: pending again, due at once).</summary>
    Task SaveAsync(WebhookDelivery delivery, CancellationToken cancellationToken);

    Task<WebhookDelivery?> GetDeliveryAsync(string id, CancellationToken cancellationToken);

    /// <summary>The subscription's latest deliveries, newest first.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string subscriptionId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Removes up to <paramref name="max"/> finished deliveries (delivered or dead) created before
    /// <paramref name="createdBefore"/>, oldest first; pending ones stay whatever their age. Returns how many went.
    /// </summary>
    Task<int> PruneDeliveriesAsync(DateTimeOffset createdBefore, int max, CancellationToken cancellationToken);
}
