using System.Collections.Concurrent;
using System.Globalization;
using Chatroom.Core.Queues;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chatroom.Redis.Queues;

/// <summary>
/// A stream and consumer group per queue. Reading first reclaims entries idle longer than the claim
/// timeout (XAUTOCLAIM; those delivered too often go to the dead-letter stream), then reads new ones. A read that
/// finds nothing polls until its wait is over: StackExchange.Redis multiplexes every caller over one
/// connection, so a blocking XREADGROUP would stall them all. Acknowledged entries are deleted, so the
/// stream length is the backlog.
/// </summary>
public sealed class RedisWorkQueue(IConnectionMultiplexer redis, IOptions<QueueOptions> queueOptions, IOptions<RedisBackendOptions> options) : IWorkQueue
{
    private const string Group = "workers";

    /// <summary>Polling starts quick (a worker that just emptied the queue) and backs off to this when idle.</summary>
    private static readonly TimeSpan MaxPollInterval = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan FirstPollInterval = TimeSpan.FromMilliseconds(10);

    // Moves one entry this consumer has just claimed to the dead letters, in one step.
    // KEYS: stream, dead. ARGV: group, id, deliveries made, dead maxlen, then the entry's field/value pairs.
    private const string DeadLetterScript = """
        if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
        redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'id', ARGV[2], 'deliveries', ARGV[3], unpack(ARGV, 5))
        redis.call('XDEL', KEYS[1], ARGV[2])
        return 1
        """;

    private readonly QueueOptions _queueOptions = queueOptions.Value;
    private readonly RedisBackendOptions _options = options.Value;
    private readonly RedisKeys _keys = new(options.Value.KeyPrefix);
    private readonly IDatabase _db = redis.GetDatabase();
    private readonly ConcurrentDictionary<string, bool> _groups = new();

    public ValueTask EnqueueAsync(string queue, WorkItem item, CancellationToken cancellationToken) =>
        EnqueueAsync([queue], item, cancellationToken);

    public ValueTask EnqueueAsync(IReadOnlyList<string> queues, WorkItem item, CancellationToken cancellationToken) => RedisPort.GuardValueAsync(redis, cancellationToken, async () =>
    {
        List<NameValueEntry> fields =
        [
            new("r", item.Room),
            new("m", item.MessageId.ToString(CultureInfo.InvariantCulture)),
        ];
        if (item.TraceParent is not null)
        {
            fields.Add(new("tp", item.TraceParent));
        }

        // Issued together, so the multiplexer pipelines them: one round trip for every queue.
        NameValueEntry[] values = [.. fields];
        await Task.WhenAll(queues.Select(queue =>
            _db.StreamAddAsync(_keys.QueueStream(queue), values, maxLength: _queueOptions.MaxLength, useApproximateMaxLength: true)));
    });

    public async ValueTask<IReadOnlyList<QueueEntry>> ReadAsync(string queue, string consumer, int max, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + wait;
        var interval = FirstPollInterval;
        while (true)
        {
            var batch = await RedisPort.GuardValueAsync(redis, cancellationToken, async () =>
            {
                try
                {
                    return await ReadOnceAsync(queue, consumer, max);
                }
                catch (RedisServerException e) when (RedisPort.HasPrefix(e, "NOGROUP"))
                {
                    // The stream was lost (Redis restarted without persistence): make the group again.
                    _groups.TryRemove(queue, out _);
                    return await ReadOnceAsync(queue, consumer, max);
                }
            });
            var left = deadline - DateTime.UtcNow;
            if (batch.Count > 0 || left <= TimeSpan.Zero)
            {
                return batch;
            }

            await Task.Delay(left < interval ? left : interval, cancellationToken);
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, MaxPollInterval.Ticks));
        }
    }

    public ValueTask AckAsync(string queue, string entryId, CancellationToken cancellationToken) => RedisPort.GuardValueAsync(redis, cancellationToken, async () =>
    {
        // XACK and XDEL pipelined, so the stream holds only unacknowledged entries.
        var stream = _keys.QueueStream(queue);
        var acked = _db.StreamAcknowledgeAsync(stream, Group, entryId);
        var deleted = _db.StreamDeleteAsync(stream, [entryId]);
        await acked;
        await deleted;
    });

    public ValueTask<long> BacklogAsync(string queue, CancellationToken cancellationToken) =>
        RedisPort.GuardValueAsync(redis, cancellationToken, () => _db.StreamLengthAsync(_keys.QueueStream(queue)));

    public ValueTask<IReadOnlyList<QueueEntry>> DeadLettersAsync(string queue, int max, CancellationToken cancellationToken) =>
        RedisPort.GuardValueAsync<IReadOnlyList<QueueEntry>>(redis, cancellationToken, async () =>
        {
            var entries = await _db.StreamRangeAsync(_keys.QueueDeadLetters(queue), "-", "+", max);
            return entries
                .Select(e => ToQueueEntry((string?)e["id"] ?? (string)e.Id!, e.Values, int.Parse((string?)e["deliveries"] ?? "0", CultureInfo.InvariantCulture)))
                .ToList();
        });

    private async Task<IReadOnlyList<QueueEntry>> ReadOnceAsync(string queue, string consumer, int max)
    {
        var stream = _keys.QueueStream(queue);
        await EnsureGroupAsync(queue, stream);
        var batch = new List<QueueEntry>(max);

        // Entries idle past the claim timeout belonged to a consumer that died (or is stuck): take them over.
        // XAUTOCLAIM is atomic, so each goes to one consumer, and it drops entries deleted from the stream.
        var claimed = await _db.StreamAutoClaimAsync(stream, Group, consumer, (long)_queueOptions.ClaimTimeout.TotalMilliseconds, "0-0", max);
        if (claimed.ClaimedEntries.Length > 0)
        {
            await TakeClaimedAsync(queue, stream, consumer, claimed.ClaimedEntries, batch);
        }

        if (batch.Count < max)
        {
            var fresh = await _db.StreamReadGroupAsync(stream, Group, consumer, StreamPosition.NewMessages, max - batch.Count);
            batch.AddRange(fresh.Where(e => !e.IsNull).Select(e => ToQueueEntry((string)e.Id!, e.Values, 1)));
        }

        return batch;
    }

    /// <summary>
    /// XAUTOCLAIM does not say how often an entry was delivered, so the counts come from XPENDING (the entries are
    /// this consumer's now: nobody else changes them). An entry delivered more than <c>MaxDeliveries</c> times with
    /// this claim goes to the dead letters instead, with the count of deliveries actually made.
    /// </summary>
    private async Task TakeClaimedAsync(string queue, string stream, string consumer, StreamEntry[] entries, List<QueueEntry> batch)
    {
        var counts = entries
            .Select(e => _db.StreamPendingMessagesAsync(stream, Group, 1, consumer, e.Id, e.Id))
            .ToList();
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            var pending = await counts[i];
            var deliveries = pending.Length == 1 ? pending[0].DeliveryCount : 1;
            if (deliveries <= _queueOptions.MaxDeliveries)
            {
                batch.Add(ToQueueEntry((string)entry.Id!, entry.Values, deliveries));
                continue;
            }

            RedisValue[] args =
            [
                Group, entry.Id, deliveries - 1, _options.DeadLetterMaxLength,
                .. entry.Values.SelectMany(f => new[] { (RedisValue)f.Name, f.Value }),
            ];
            await _db.ScriptEvaluateAsync(DeadLetterScript, [stream, _keys.QueueDeadLetters(queue)], args);
        }
    }

    private async Task EnsureGroupAsync(string queue, string stream)
    {
        if (_groups.ContainsKey(queue))
        {
            return;
        }

        try
        {
            await _db.StreamCreateConsumerGroupAsync(stream, Group, "0", createStream: true);
        }
        catch (RedisServerException e) when (RedisPort.HasPrefix(e, "BUSYGROUP"))
        {
            // Made already, by this process before a restart or by another one.
        }

        _groups[queue] = true;
    }

    private static QueueEntry ToQueueEntry(string id, NameValueEntry[] fields, int deliveries)
    {
        string? room = null, message = null, traceParent = null;
        foreach (var field in fields)
        {
            switch ((string?)field.Name)
            {
                case "r": room = field.Value; break;
                case "m": message = field.Value; break;
                case "tp": traceParent = field.Value; break;
            }
        }

        return new QueueEntry(id, new WorkItem(room ?? string.Empty, long.Parse(message ?? "0", CultureInfo.InvariantCulture), traceParent), deliveries);
    }
}
