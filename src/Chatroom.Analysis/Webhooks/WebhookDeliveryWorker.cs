using System.Collections.Concurrent;
using Chatroom.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Webhooks;

/// <summary>
/// Sends due webhook deliveries: claims them from the store for a lease, sends up to
/// <see cref="WebhookOptions.Concurrency"/> at once, at most <see cref="WebhookOptions.ConcurrencyPerSubscription"/> of them
/// to one subscription (a slow or hanging receiver holds a few slots, not the rest: a claimed delivery over its
/// subscription's share goes back to the store due a poll interval later, no try counted), and records each
/// outcome: delivered; <c>410 Gone</c> disables the subscription; anything else retries after the schedule's next wait,
/// and after the last one the delivery is dead (kept in the log, redeliverable by an admin). A process that stops
/// mid-send leaves the delivery claimed until the lease ends, then any worker sends it again.
/// </summary>
internal sealed partial class WebhookDeliveryWorker(
    IWebhookStore store,
    WebhookSender sender,
    WebhookMetrics metrics,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDeliveryWorker> logger) : BackgroundService
{
    private readonly WebhookOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, int> _sendingPerSubscription = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        using var slots = new SemaphoreSlim(_options.Concurrency);
        var inFlight = new ConcurrentDictionary<string, Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(stoppingToken);
                IReadOnlyList<WebhookDelivery> due;
                try
                {
                    // The slot just taken, and every other free one.
                    due = await store.ClaimDueAsync(time.GetUtcNow(), _options.Lease, slots.CurrentCount + 1, stoppingToken);
                }
                catch
                {
                    slots.Release();
                    throw;
                }

                if (due.Count == 0)
                {
                    slots.Release();
                    await Task.Delay(_options.PollInterval, time, stoppingToken);
                    continue;
                }

                for (var i = 0; i < due.Count; i++)
                {
                    if (i > 0)
                    {
                        await slots.WaitAsync(stoppingToken);
                    }

                    var delivery = due[i];
                    if (!TryTakeShare(delivery.SubscriptionId))
                    {
                        slots.Release();
                        await PutBackAsync(delivery, stoppingToken);
                        continue;
                    }

                    inFlight[delivery.Id] = Task.Run(async () =>
                    {
                        try
                        {
                            await DeliverAsync(delivery, stoppingToken);
                        }
                        finally
                        {
                            ReleaseShare(delivery.SubscriptionId);
                            slots.Release();
                            inFlight.TryRemove(delivery.Id, out _);
                        }
                    }, CancellationToken.None);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The store is down: what was claimed comes back after its lease; back off so an outage is not a busy loop.
                LogClaimFailed(logger, e);
                await Task.Delay(_options.PollInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        await Task.WhenAll(inFlight.Values);
    }

    private bool TryTakeShare(string subscriptionId)
    {
        while (true)
        {
            var sending = _sendingPerSubscription.GetOrAdd(subscriptionId, 0);
            if (sending >= _options.ConcurrencyPerSubscription)
            {
                return false;
            }

            if (_sendingPerSubscription.TryUpdate(subscriptionId, sending + 1, sending))
            {
                return true;
            }
        }
    }

    private void ReleaseShare(string subscriptionId)
    {
        while (true)
        {
            var sending = _sendingPerSubscription[subscriptionId];
            if (sending == 1 ? _sendingPerSubscription.TryRemove(new KeyValuePair<string, int>(subscriptionId, 1))
                : _sendingPerSubscription.TryUpdate(subscriptionId, sending - 1, sending))
            {
                return;
            }
        }
    }

    /// <summary>A claimed delivery its subscription has no share left for: due again after a poll interval, no try counted.</summary>
    private async Task PutBackAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            await store.SaveAsync(delivery with { NextAttemptAt = time.GetUtcNow() + _options.PollInterval }, cancellationToken);
            metrics.Deferred();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Still claimed: its lease brings it back.
            LogDeliveryFailed(logger, e, delivery.Id);
        }
    }

    internal async Task DeliverAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            var subscription = await store.GetSubscriptionAsync(delivery.SubscriptionId, cancellationToken);
            if (subscription is not { Enabled: true })
            {
                await store.SaveAsync(delivery with
                {
                    Status = WebhookDeliveryStatus.Dead,
                    LastError = subscription is null ? "the subscription was deleted" : $"the subscription is disabled: {subscription.DisabledReason}",
                }, cancellationToken);
                return;
            }

            var attempt = await sender.SendAsync(subscription, delivery, cancellationToken);
            var now = time.GetUtcNow();
            var tried = delivery with
            {
                Attempts = delivery.Attempts + 1,
                LastAttemptAt = now,
                LastStatusCode = attempt.StatusCode,
                LastError = attempt.Error,
                LastLatencyMs = Math.Round(attempt.Took.TotalMilliseconds, 1),
            };
            string outcome;
            if (attempt.Succeeded)
            {
                tried = tried with { Status = WebhookDeliveryStatus.Delivered };
                outcome = "delivered";
            }
            else if (attempt.StatusCode == 410)
            {
                await store.DisableSubscriptionAsync(subscription.Id, "the receiver answered 410 Gone", cancellationToken);
                tried = tried with { Status = WebhookDeliveryStatus.Dead };
                outcome = "gone";
                LogGone(logger, subscription.Id);
            }
            else if (tried.Attempts > _options.Schedule.Count)
            {
                tried = tried with { Status = WebhookDeliveryStatus.Dead };
                outcome = "dead";
                LogDead(logger, delivery.Id, subscription.Id, tried.Attempts, attempt.Error);
            }
            else
            {
                tried = tried with { Status = WebhookDeliveryStatus.Pending, NextAttemptAt = now + Jitter(_options.Schedule[tried.Attempts - 1]) };
                outcome = "retry";
                LogRetry(logger, delivery.Id, subscription.Id, tried.Attempts, attempt.Error, tried.NextAttemptAt);
            }

            await store.SaveAsync(tried, cancellationToken);
            metrics.Attempted(outcome, attempt.Took);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the claim's lease brings the delivery back.
        }
        catch (Exception e)
        {
            LogDeliveryFailed(logger, e, delivery.Id);
        }
    }

    /// <summary>±20 %, so deliveries that failed together (a receiver's outage) do not all retry in the same second.</summary>
    private static TimeSpan Jitter(TimeSpan wait) => wait * (0.8 + (Random.Shared.NextDouble() * 0.4));

    [LoggerMessage(EventId = 4700, Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} to {SubscriptionId} failed (try {Attempt}: {Error}); next try at {NextAttemptAt}")]
    private static partial void LogRetry(ILogger logger, string deliveryId, string subscriptionId, int attempt, string? error, DateTimeOffset nextAttemptAt);

    [LoggerMessage(EventId = 4701, Level = LogLevel.Error, Message = "Webhook delivery {DeliveryId} to {SubscriptionId} is dead after {Attempts} tries: {Error}")]
    private static partial void LogDead(ILogger logger, string deliveryId, string subscriptionId, int attempts, string? error);

    [LoggerMessage(EventId = 4702, Level = LogLevel.Warning, Message = "Webhook {SubscriptionId} answered 410 Gone: the subscription is disabled")]
    private static partial void LogGone(ILogger logger, string subscriptionId);

    [LoggerMessage(EventId = 4703, Level = LogLevel.Warning, Message = "Claiming due webhook deliveries failed; trying again")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4704, Level = LogLevel.Error, Message = "Webhook delivery {DeliveryId} could not be recorded; its lease brings it back")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string deliveryId);
}
