using System.Diagnostics.Metrics;
using Chatroom.Core.Chat;

namespace Chatroom.Analysis.Webhooks;

/// <summary>Webhook instruments on the <c>Chatroom</c> meter; the one label is the outcome (a handful of values).</summary>
public sealed class WebhookMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _deferred;

    public WebhookMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(ChatMetrics.MeterName);
        _deliveries = _meter.CreateCounter<long>("chatroom.webhook.deliveries", "{delivery}",
            "Webhook delivery tries, by outcome: delivered, retry, dead, gone (410: subscription disabled).");
        _duration = _meter.CreateHistogram<double>("chatroom.webhook.delivery.duration", "s", "How long one webhook delivery try took.",
            advice: ChatMetrics.SecondsBuckets);
        _deferred = _meter.CreateCounter<long>("chatroom.webhook.deliveries.deferred", "{delivery}",
            "Claimed webhook deliveries put back because their subscription had its share of the sending slots in use (a slow receiver).");
    }

    public void Attempted(string outcome, TimeSpan took)
    {
        _deliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        _duration.Record(took.TotalSeconds);
    }

    public void Deferred() => _deferred.Add(1);

    public void Dispose() => _meter.Dispose();
}
