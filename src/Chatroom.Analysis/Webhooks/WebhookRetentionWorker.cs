using Chatroom.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Webhooks;

/// <summary>
/// Keeps the delivery log to <see cref="WebhookOptions.DeliveryLogRetention"/>: every <see cref="WebhookOptions.PruneInterval"/>
/// finished deliveries created longer ago than that are removed in batches (a long outage's backlog does not become one huge
/// write). Every analysis replica may run it; removing what is gone already changes nothing.
/// </summary>
internal sealed partial class WebhookRetentionWorker(
    IWebhookStore store,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookRetentionWorker> logger) : BackgroundService
{
    internal const int BatchSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PruneAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The store is down: the next round catches up.
                LogPruneFailed(logger, e);
            }

            await Task.Delay(options.Value.PruneInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    internal async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - options.Value.DeliveryLogRetention;
        var total = 0;
        int removed;
        do
        {
            removed = await store.PruneDeliveriesAsync(before, BatchSize, cancellationToken);
            total += removed;
        }
        while (removed == BatchSize);

        if (total > 0)
        {
            LogPruned(logger, total, before);
        }

        return total;
    }

    [LoggerMessage(EventId = 4710, Level = LogLevel.Information, Message = "Removed {Count} webhook deliveries finished before {Before} from the delivery log")]
    private static partial void LogPruned(ILogger logger, int count, DateTimeOffset before);

    [LoggerMessage(EventId = 4711, Level = LogLevel.Warning, Message = "Pruning the webhook delivery log failed; trying again next round")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
