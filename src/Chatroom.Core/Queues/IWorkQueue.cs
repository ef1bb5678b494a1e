namespace Chatroom.Core.Queues;

/// <summary>
/// Port: at-least-once work queues with consumer groups. An entry read but not acknowledged within
/// the claim timeout is delivered again (to any consumer); after too many deliveries it moves to the
/// queue's dead-letter list.
/// </summary>
public interface IWorkQueue
{
    ValueTask EnqueueAsync(string queue, WorkItem item, CancellationToken cancellationToken);

    /// <summary>Enqueues the item on every one of <paramref name="queues"/> in one write (one round trip, one commit).</summary>
    ValueTask EnqueueAsync(IReadOnlyList<string> queues, WorkItem item, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> entries, waiting at most <paramref name="wait"/> when none is ready.</summary>
    ValueTask<IReadOnlyList<QueueEntry>> ReadAsync(string queue, string consumer, int max, TimeSpan wait, CancellationToken cancellationToken);

    ValueTask AckAsync(string queue, string entryId, CancellationToken cancellationToken);

    /// <summary>Entries enqueued and not yet acknowledged.</summary>
    ValueTask<long> BacklogAsync(string queue, CancellationToken cancellationToken);

    /// <summary>Entries given up on after too many deliveries.</summary>
    ValueTask<IReadOnlyList<QueueEntry>> DeadLettersAsync(string queue, int max, CancellationToken cancellationToken);
}
