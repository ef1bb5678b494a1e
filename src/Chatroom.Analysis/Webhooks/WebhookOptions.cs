using System.ComponentModel.DataAnnotations;

namespace Chatroom.Analysis.Webhooks;

/// <summary><c>Chatroom:Webhooks</c>: how outgoing webhook deliveries are sent and retried.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Chatroom:Webhooks";

    /// <summary>Off: no deliveries are created or sent (subscriptions are kept).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long one try may take, connection to last byte read.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How much of a receiver's answer is read (and then dropped): a 10 MB answer costs no more than this.</summary>
    [Range(0, 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// The wait before each retry after the first try (Standard Webhooks' schedule): a delivery gets one try plus one per
    /// entry, then goes to the dead letters. Each wait is jittered by ±20 % so failed deliveries do not retry in step.
    /// </summary>
    public List<TimeSpan> RetrySchedule { get; set; } = [];

    /// <summary>The schedule used when <see cref="RetrySchedule"/> is not configured: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetrySchedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>
    /// Networks (CIDR, e.g. <c>10.20.0.0/16</c>, <c>127.0.0.0/8</c>) a webhook may reach although they are loopback,
    /// private or link-local. Everything else of those kinds is refused (SSRF guard); public addresses are always allowed.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>How often the sender looks for due deliveries when it found none.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Deliveries sent at once by one process.</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 16;

    /// <summary>
    /// Deliveries to one subscription sent at once by one process: a slow or hanging receiver holds at most this many of
    /// the <see cref="Concurrency"/> slots, and everyone else's deliveries keep going through the rest.
    /// </summary>
    [Range(1, 256)]
    public int ConcurrencyPerSubscription { get; set; } = 4;

    /// <summary>
    /// How long delivered and dead deliveries stay in the delivery log (and redeliverable); pending ones stay until they
    /// finish. Longer than the retry schedule's total, so a dead letter is there for an admin to see.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan DeliveryLogRetention { get; set; } = TimeSpan.FromDays(7);

    public IReadOnlyList<TimeSpan> Schedule => RetrySchedule.Count > 0 ? RetrySchedule : DefaultRetrySchedule;

    /// <summary>How often old deliveries are pruned: a quarter of the retention, at most hourly.</summary>
    public TimeSpan PruneInterval => DeliveryLogRetention / 4 < TimeSpan.FromHours(1) ? DeliveryLogRetention / 4 : TimeSpan.FromHours(1);

    /// <summary>Longer than a try can take, so a delivery in flight is not claimed by another worker.</summary>
    public TimeSpan Lease => Timeout * 3;
}
