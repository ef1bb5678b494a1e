using System.Collections.Concurrent;
using System.Globalization;
using Chatroom.Core.Queues;
using Chatroom.Redis.Client;
using Microsoft.Extensions.Options;

namespace Chatroom.Redis.Queues;

/// <summary>
/// A stream and consumer group per queue. Reading first reclaims entries idle longer than the claim
/// timeout (moving those delivered too often to the dead-letter stream), then reads new ones, blocking
/// on a connection of its own. Acknowledged entries are deleted, so the stream length is the backlog.
/// </summary>
public sealed class RedisWorkQueue(RedisClient client, IOptions<QueueOptions> queueOptions, IOptions<RedisBackendOptions> options) : IWorkQueue
{
    private const string Group = "workers";

    // KEYS: stream, dead. ARGV: group, consumer, idle ms, count, max deliveries, dead maxlen.
    private static readonly RedisScript ClaimScript = new("""
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
        """);

    private readonly QueueOptions _queueOptions = queueOptions.Value;
    private readonly RedisBackendOptions _options = options.Value;
    private readonly RedisKeys _keys = new(options.Value.KeyPrefix);
    private readonly ConcurrentDictionary<string, bool> _groups = new();

    public ValueTask EnqueueAsync(string queue, WorkItem item, CancellationToken cancellationToken) => RedisPort.GuardValueAsync(async () =>
    {
        List<KeyValuePair<string, string>> fields =
        [
            new("r", item.Room),
            new("m", item.MessageId.ToString(CultureInfo.InvariantCulture)),
        ];
        if (item.TraceParent is not null)
        {
            fields.Add(new("tp", item.TraceParent));
        }

        await client.StreamAddAsync(_keys.QueueStream(queue), "*", _queueOptions.MaxLength, fields, cancellationToken);
    });

    public ValueTask<IReadOnlyList<QueueEntry>> ReadAsync(string queue, string consumer, int max, TimeSpan wait, CancellationToken cancellationToken) =>
        RedisPort.GuardValueAsync<IReadOnlyList<QueueEntry>>(async () =>
        {
            try
            {
                return await ReadCoreAsync(queue, consumer, max, wait, cancellationToken);
            }
            catch (RedisServerException e) when (e.Prefix == "NOGROUP")
            {
                // The stream was lost (Redis restarted without persistence): make the group again.
                _groups.TryRemove(queue, out _);
                return await ReadCoreAsync(queue, consumer, max, wait, cancellationToken);
            }
        });

    public ValueTask AckAsync(string queue, string entryId, CancellationToken cancellationToken) =>
        RedisPort.GuardValueAsync(async () => { await client.StreamAckAndDeleteAsync(_keys.QueueStream(queue), Group, entryId, cancellationToken); });

    public ValueTask<long> BacklogAsync(string queue, CancellationToken cancellationToken) =>
        RedisPort.GuardValueAsync(() => client.StreamLengthAsync(_keys.QueueStream(queue), cancellationToken));

    public ValueTask<IReadOnlyList<QueueEntry>> DeadLettersAsync(string queue, int max, CancellationToken cancellationToken) =>
        RedisPort.GuardValueAsync<IReadOnlyList<QueueEntry>>(async () =>
        {
            var entries = await client.StreamRangeAsync(_keys.QueueDeadLetters(queue), "-", "+", max, reverse: false, cancellationToken);
            return entries.Select(e => ToQueueEntry(e with { Id = e["id"] ?? e.Id }, int.Parse(e["deliveries"] ?? "0", CultureInfo.InvariantCulture))).ToList();
        });

    private async Task<IReadOnlyList<QueueEntry>> ReadCoreAsync(string queue, string consumer, int max, TimeSpan wait, CancellationToken cancellationToken)
    {
        var stream = _keys.QueueStream(queue);
        await EnsureGroupAsync(queue, stream, cancellationToken);
        var batch = new List<QueueEntry>(max);
        var claimed = await client.EvalAsync(ClaimScript, [stream, _keys.QueueDeadLetters(queue)],
        [
            Group, consumer, (long)_queueOptions.ClaimTimeout.TotalMilliseconds, max, _queueOptions.MaxDeliveries, _options.DeadLetterMaxLength,
        ], cancellationToken);
        foreach (var item in claimed.Items ?? [])
        {
            if (StreamEntry.Read(item) is { } entry)
            {
                batch.Add(ToQueueEntry(entry, (int)item[2].AsInt64()));
            }
        }

        if (batch.Count < max)
        {
            var fresh = await ReadNewAsync(stream, consumer, max - batch.Count, block: null, cancellationToken);
            if (fresh.Count == 0 && batch.Count == 0 && wait >= TimeSpan.FromMilliseconds(1))
            {
                fresh = await ReadNewAsync(stream, consumer, max, wait, cancellationToken);
            }

            batch.AddRange(fresh.Select(e => ToQueueEntry(e, 1)));
        }

        return batch;
    }

    private async Task<IReadOnlyList<StreamEntry>> ReadNewAsync(string stream, string consumer, int count, TimeSpan? block, CancellationToken cancellationToken) =>
        await client.StreamReadGroupAsync(stream, Group, consumer, count, block, cancellationToken);

    private async ValueTask EnsureGroupAsync(string queue, string stream, CancellationToken cancellationToken)
    {
        if (_groups.ContainsKey(queue))
        {
            return;
        }

        await client.StreamCreateGroupAsync(stream, Group, cancellationToken);
        _groups[queue] = true;
    }

    private static QueueEntry ToQueueEntry(StreamEntry entry, int deliveries) => new(
        entry.Id,
        new WorkItem(
            entry["r"] ?? string.Empty,
            long.Parse(entry["m"] ?? "0", CultureInfo.InvariantCulture),
            entry["tp"]),
        deliveries);
}
