using System.Collections.Concurrent;
using System.Threading.Channels;
using Chatroom.Core.Queues;
using Microsoft.Extensions.Options;

namespace Chatroom.Core.Embedded;

/// <summary>
/// Work queues inside one process with the same delivery rules as the Redis streams: an entry read
/// and not acknowledged within the claim timeout is delivered again, and dead-lettered after too many deliveries.
/// </summary>
public sealed class InProcessWorkQueue(IOptions<QueueOptions> options, TimeProvider time) : IWorkQueue
{
    private readonly QueueOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Queue> _queues = new();

    public ValueTask EnqueueAsync(string queue, WorkItem item, CancellationToken cancellationToken)
    {
        var q = Get(queue);
        var entry = new QueueEntry(Interlocked.Increment(ref q.NextId).ToString(System.Globalization.CultureInfo.InvariantCulture), item, 0);
        Interlocked.Increment(ref q.Backlog);
        return q.Ready.Writer.WriteAsync(entry, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<QueueEntry>> ReadAsync(string queue, string consumer, int max, TimeSpan wait, CancellationToken cancellationToken)
    {
        var q = Get(queue);
        var batch = new List<QueueEntry>(max);
        ReclaimExpired(q, batch, max);
        while (batch.Count < max && q.Ready.Reader.TryRead(out var entry))
        {
            batch.Add(Deliver(q, entry));
        }

        if (batch.Count > 0)
        {
            return batch;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            if (await q.Ready.Reader.WaitToReadAsync(timeout.Token))
            {
                while (batch.Count < max && q.Ready.Reader.TryRead(out var entry))
                {
                    batch.Add(Deliver(q, entry));
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The wait ran out with nothing to read.
        }

        return batch;
    }

    public ValueTask AckAsync(string queue, string entryId, CancellationToken cancellationToken)
    {
        var q = Get(queue);
        if (q.Pending.TryRemove(entryId, out _))
        {
            Interlocked.Decrement(ref q.Backlog);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<long> BacklogAsync(string queue, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Interlocked.Read(ref Get(queue).Backlog));

    public ValueTask<IReadOnlyList<QueueEntry>> DeadLettersAsync(string queue, int max, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<QueueEntry>>(Get(queue).DeadLetters.Take(max).ToList());

    private Queue Get(string queue) => _queues.GetOrAdd(queue, _ => new Queue());

    private QueueEntry Deliver(Queue q, QueueEntry entry)
    {
        var delivered = entry with { DeliveryCount = entry.DeliveryCount + 1 };
        q.Pending[delivered.Id] = (delivered, time.GetUtcNow() + _options.ClaimTimeout);
        return delivered;
    }

    private void ReclaimExpired(Queue q, List<QueueEntry> batch, int max)
    {
        var now = time.GetUtcNow();
        foreach (var (id, (entry, deadline)) in q.Pending)
        {
            if (batch.Count >= max)
            {
                return;
            }

            if (deadline > now || !q.Pending.TryRemove(id, out _))
            {
                continue;
            }

            if (entry.DeliveryCount >= _options.MaxDeliveries)
            {
                q.DeadLetters.Enqueue(entry);
                Interlocked.Decrement(ref q.Backlog);
                continue;
            }

            batch.Add(Deliver(q, entry));
        }
    }

    private sealed class Queue
    {
        public readonly Channel<QueueEntry> Ready = Channel.CreateUnbounded<QueueEntry>();
        public readonly ConcurrentDictionary<string, (QueueEntry Entry, DateTimeOffset Deadline)> Pending = new();
        public readonly ConcurrentQueue<QueueEntry> DeadLetters = new();
        public long NextId;
        public long Backlog;
    }
}
