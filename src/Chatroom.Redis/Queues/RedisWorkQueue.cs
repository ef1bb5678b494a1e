using System.Collections.Concurrent;
using System.Globalization;
using Chatroom.Core.Queues;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chatroom.Redis.Queues;

/// <summary>
/// A stream and consumer group per queue. Reading first reclaims entries idle longer than the claim
/// timeout (moving those delivered too often to the dead-letter stream), then reads new ones. A read that
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

    // XPENDING + XCLAIM in a script rather than XAUTOCLAIM: the delivery counts decide, in the same atomic step,
    // which entries go to the dead letters; XAUTOCLAIM does not return them.
    // KEYS: stream, dead. ARGV: group, consumer, idle ms, count, max deliveries, dead maxlen.
    private const string ClaimScript = """
        local pending = redis.call('XPENDING', KEYS[1], ARGV[1], 'IDLE', ARGV[3], '-', '+', ARGV[4])
        local out = {}
        for _, p in ipairs(pending) do
          local id = p[1]
          local deliveries = tonumber(p[4])
          if deliveries >= tonumber(ARGV[5]) then
            local entry = redis.call('XRANGE', KEYS[1], id, id)
            if #entry > 0 then
              local fields = entry[1][2]
              table.insert(fields, 'id')
              table.insert(fields, id)
              table.insert(fields, 'deliveries')
              table.insert(fields, tostring(deliveries))
              redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], '*', unpack(fields))
            end
            redis.call('XACK', KEYS[1], ARGV[1], id)
            redis.call('XDEL', KEYS[1], id)
          else
            local claimed = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], id)
            if claimed[1] then
              table.insert(out, {claimed[1][1], claimed[1][2], deliveries + 1})
            else
              redis.call('XACK', KEYS[1], ARGV[1], id)
            end
          end
        end
        return out
        """;

    private readonly QueueOptions _queueOptions = queueOptions.Value;
    private readonly RedisBackendOptions _options = options.Value;
    private readonly RedisKeys _keys = new(options.Value.KeyPrefix);
    private readonly IDatabase _db = redis.GetDatabase();
    private readonly ConcurrentDictionary<string, bool> _groups = new();

    public ValueTask EnqueueAsync(string queue, WorkItem item, CancellationToken cancellationToken) => RedisPort.GuardValueAsync(redis, cancellationToken, async () =>
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

        await _db.StreamAddAsync(_keys.QueueStream(queue), [.. fields], maxLength: _queueOptions.MaxLength, useApproximateMaxLength: true);
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
        var claimed = await _db.ScriptEvaluateAsync(ClaimScript, [stream, _keys.QueueDeadLetters(queue)],
        [
            Group, consumer, (long)_queueOptions.ClaimTimeout.TotalMilliseconds, max, _queueOptions.MaxDeliveries, _options.DeadLetterMaxLength,
        ]);
        for (var i = 0; i < claimed.Length; i++)
        {
            var item = claimed[i];
            var fields = item[1];
            var values = new NameValueEntry[fields.Length / 2];
            for (var f = 0; f < values.Length; f++)
            {
                values[f] = new NameValueEntry((string)fields[2 * f]!, (string)fields[2 * f + 1]!);
            }

            batch.Add(ToQueueEntry((string)item[0]!, values, (int)(long)item[2]));
        }

        if (batch.Count < max)
        {
            var fresh = await _db.StreamReadGroupAsync(stream, Group, consumer, StreamPosition.NewMessages, max - batch.Count);
            batch.AddRange(fresh.Where(e => !e.IsNull).Select(e => ToQueueEntry((string)e.Id!, e.Values, 1)));
        }

        return batch;
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
