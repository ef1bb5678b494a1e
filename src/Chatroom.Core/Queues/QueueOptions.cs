namespace Chatroom.Core.Queues;

/// <summary><c>Chatroom:Queues</c>: redelivery and dead-letter policy shared by every backend.</summary>
public sealed class QueueOptions
{
    public const string Section = "Chatroom:Queues";

    /// <summary>An entry unacknowledged this long is delivered again.</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries before an entry goes to the dead-letter list.</summary>
    public int MaxDeliveries { get; set; } = 5;

    /// <summary>Most entries kept per queue; older ones are trimmed (Redis MAXLEN ~).</summary>
    public int MaxLength { get; set; } = 100_000;
}
