using System.Globalization;
using Chatroom.Core.Errors;
using Chatroom.Core.Messages;
using Chatroom.Core.Queues;
using Chatroom.Redis.Bus;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chatroom.Redis.Messages;

/// <summary>
/// One stream per room, bounded by MAXLEN ~. A message's id is the room counter (INCR), stored as the
/// stream id <c>&lt;id&gt;-0</c>; de-duplication, counter and append run in one Lua script, so they are atomic.
/// As the <see cref="IMessageSendPath"/> the same script also publishes the message on the room's channel and, on a
/// single server, adds its work items to the queues: one round trip per send, and Redis runs a script whole or not at
/// all, so an acknowledged message has its queue entries. On a cluster the queues sit in slots of their own, so the
/// script publishes (the room's channel shares its slot) and the caller writes the queues.
/// Hidden ids sit in a set beside the stream, since stream entries cannot change.
/// </summary>
public sealed class RedisMessageLog(IConnectionMultiplexer redis, IOptions<RedisBackendOptions> options, IOptions<QueueOptions>? queueOptions = null)
    : IMessageLog, IMessageSendPath
{
    // KEYS: room, seq, log, cids, cids-t, then (sending on a single server) the queue streams.
    // ARGV: maxlen, window ms, dedup field ('' for none), now ms, publish command ('' for none), the room's channel,
    // payload before the id, payload after the id, queue maxlen, room, trace parent ('' for none), then the message's
    // field/value pairs. The channel is not among the KEYS: it is not a key, and a script naming a key that exists
    // nowhere is refused (TRYAGAIN) while its slot migrates; it shares the room's hash tag, hence its slot.
    private const string AppendScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
        local nowMs = tonumber(ARGV[4])
        local dedup = ARGV[3]
        if dedup ~= '' then
          local old = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', nowMs - tonumber(ARGV[2]), 'LIMIT', 0, 100)
          if #old > 0 then
            redis.call('HDEL', KEYS[4], unpack(old))
            redis.call('ZREM', KEYS[5], unpack(old))
          end
          local existing = redis.call('HGET', KEYS[4], dedup)
          if existing then
            local entry = redis.call('XRANGE', KEYS[3], existing .. '-0', existing .. '-0')
            local fields = false
            if #entry > 0 then fields = entry[1][2] end
            return {0, tonumber(existing), fields}
          end
        end
        local id = redis.call('INCR', KEYS[2])
        redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[1], id .. '-0', 's', ARGV[4], unpack(ARGV, 12))
        if dedup ~= '' then
          redis.call('HSET', KEYS[4], dedup, id)
          redis.call('ZADD', KEYS[5], nowMs, dedup)
        end
        for i = 6, #KEYS do
          if ARGV[11] == '' then
            redis.call('XADD', KEYS[i], 'MAXLEN', '~', ARGV[9], '*', 'r', ARGV[10], 'm', id)
          else
            redis.call('XADD', KEYS[i], 'MAXLEN', '~', ARGV[9], '*', 'r', ARGV[10], 'm', id, 'tp', ARGV[11])
          end
        end
        if ARGV[5] ~= '' then redis.call(ARGV[5], ARGV[6], ARGV[7] .. id .. ARGV[8]) end
        return {1, id}
        """;

    // KEYS: log, hidden. ARGV: start, end, count, reverse.
    private const string ReadScript = """
        local entries
        if ARGV[4] == '1' then
          entries = redis.call('XREVRANGE', KEYS[1], ARGV[1], ARGV[2], 'COUNT', ARGV[3])
        else
          entries = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[2], 'COUNT', ARGV[3])
        end
        local out = {}
        for i, e in ipairs(entries) do
          out[i] = {e[1], e[2], redis.call('SISMEMBER', KEYS[2], string.match(e[1], '^%d+'))}
        end
        return out
        """;

    // KEYS: log, hidden. ARGV: id, hidden.
    private const string HideScript = """
        local entry = redis.call('XRANGE', KEYS[1], ARGV[1] .. '-0', ARGV[1] .. '-0')
        if #entry == 0 then return 0 end
        if ARGV[2] == '1' then redis.call('SADD', KEYS[2], ARGV[1]) else redis.call('SREM', KEYS[2], ARGV[1]) end
        return 1
        """;

    private readonly IDatabase _db = redis.GetDatabase();
    private readonly RedisKeys _keys = new(options.Value.KeyPrefix);
    private readonly RedisBackendOptions _options = options.Value;
    private readonly QueueOptions _queueOptions = queueOptions?.Value ?? new QueueOptions();
    private readonly RedisTopology _topology = new(redis);

    public Task<AppendResult> AppendAsync(NewMessage message, DateTimeOffset now, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, () =>
        RunAppendAsync(message, now, publish: null, queues: [], traceParent: null));

    public Task<SendOutcome> AppendAndAnnounceAsync(NewMessage message, DateTimeOffset now, MessageAnnouncement announcement, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
        {
            var cluster = _topology.IsCluster();
            var payload = RedisChatBus.Serialize(announcement.Event(ToMessage(message, PayloadTemplate.IdPlaceholder, now)));
            var publish = PayloadTemplate.TrySplit(payload, out var before, out var after)
                ? new PublishPart(cluster ? "SPUBLISH" : "PUBLISH", _keys.RoomChannel(message.Room), before, after)
                : null;

            // Queue streams have hash tags of their own: a cluster script may only touch its room's slot.
            var queues = cluster ? [] : announcement.Queues;
            var result = await RunAppendAsync(message, now, publish, queues, announcement.TraceParent);
            return result.Duplicate
                ? new SendOutcome(result, Published: false, Queued: false)
                : new SendOutcome(result, Published: publish is not null, Queued: !cluster);
        });

    private async Task<AppendResult> RunAppendAsync(NewMessage message, DateTimeOffset now, PublishPart? publish, IReadOnlyList<string> queues, string? traceParent)
    {
        var room = message.Room;
        var dedup = message.ClientMessageId is null
            ? string.Empty
            : $"{message.AuthorId.Length.ToString(CultureInfo.InvariantCulture)}:{message.AuthorId}:{message.ClientMessageId}";
        var args = new List<RedisValue>(20)
        {
            _options.MessageLogMaxLength, (long)_options.DeduplicationWindow.TotalMilliseconds, dedup, now.ToUnixTimeMilliseconds(),
            publish?.Command ?? string.Empty, publish?.Channel ?? string.Empty, publish?.Before ?? string.Empty, publish?.After ?? string.Empty,
            _queueOptions.MaxLength, room, traceParent ?? string.Empty,
            "a", message.AuthorId, "n", message.AuthorName, "k", (int)message.Kind, "t", message.Text,
        };
        if (message.ClientMessageId is not null)
        {
            args.Add("c");
            args.Add(message.ClientMessageId);
        }

        // Most messages are people's (hop 0): the field is written only when there is a chain to count.
        if (message.Hop > 0)
        {
            args.Add("h");
            args.Add(message.Hop);
        }

        var keys = new List<RedisKey>(5 + queues.Count)
        {
            _keys.Room(room), _keys.RoomSequence(room), _keys.RoomLog(room), _keys.RoomClientIds(room), _keys.RoomClientIdTimes(room),
        };
        keys.AddRange(queues.Select(q => (RedisKey)_keys.QueueStream(q)));

        var reply = await _db.ScriptEvaluateAsync(AppendScript, [.. keys], [.. args]);
        var status = (long)reply[0];
        if (status == -1)
        {
            throw new ChatException(ErrorCodes.UnknownRoom, $"there is no room '{room}'");
        }

        var id = (long)reply[1];
        if (status == 0)
        {
            // The first copy may have been trimmed from the stream: then the request stands in for it.
            var stored = reply.Length > 2 && !reply[2].IsNull
                ? ReadMessage(room, id, reply[2], hidden: false)
                : ToMessage(message, id, now);
            return new AppendResult(stored, Duplicate: true);
        }

        return new AppendResult(ToMessage(message, id, now), Duplicate: false);
    }

    public Task<IReadOnlyList<ChatMessage>> ReadAsync(string room, MessageQuery query, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
    {
        if (query.Limit <= 0)
        {
            return (IReadOnlyList<ChatMessage>)[];
        }

        var oldestFirst = query.After is not null && query.Before is null;
        var low = query.After is { } after ? $"({after.ToString(CultureInfo.InvariantCulture)}-0" : "-";
        var high = query.Before is { } before ? $"({before.ToString(CultureInfo.InvariantCulture)}-0" : "+";
        var page = await ReadRangeAsync(room, oldestFirst ? low : high, oldestFirst ? high : low, query.Limit, reverse: !oldestFirst, cancellationToken);
        if (!oldestFirst)
        {
            page.Reverse();
        }

        return (IReadOnlyList<ChatMessage>)page;
    });

    public Task<ChatMessage?> GetAsync(string room, long id, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
    {
        var exact = $"{id.ToString(CultureInfo.InvariantCulture)}-0";
        var page = await ReadRangeAsync(room, exact, exact, 1, reverse: false, cancellationToken);
        return page.Count == 1 ? page[0] : null;
    });

    public Task<bool> SetHiddenAsync(string room, long id, bool hidden, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
        (long)await _db.ScriptEvaluateAsync(HideScript, [_keys.RoomLog(room), _keys.RoomHidden(room)], [id, hidden ? 1 : 0]) == 1);

    /// <summary>Sum of the room counters: ids are never reused and messages leave only with their room.</summary>
    public Task<long> CountAsync(CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
    {
        var rooms = await _db.SetMembersAsync(_keys.RoomIndex);
        var counters = rooms.Select(r => _db.StringGetAsync(_keys.RoomSequence(r!))).ToList();
        long total = 0;
        foreach (var counter in counters)
        {
            total += await counter is { IsNull: false } value ? (long)value : 0;
        }

        return total;
    });

    private async Task<List<ChatMessage>> ReadRangeAsync(string room, string start, string end, int count, bool reverse, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var reply = await _db.ScriptEvaluateAsync(ReadScript, [_keys.RoomLog(room), _keys.RoomHidden(room)],
            [start, end, count, reverse ? 1 : 0]);
        var page = new List<ChatMessage>(reply.Length);
        for (var i = 0; i < reply.Length; i++)
        {
            var item = reply[i];
            var entryId = (string)item[0]!;
            var id = long.Parse(entryId.AsSpan(0, entryId.IndexOf('-', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            page.Add(ReadMessage(room, id, item[1], hidden: (long)item[2] == 1));
        }

        return page;
    }

    /// <summary>The script's publish: the command (by topology), the room's channel and the payload around the id.</summary>
    private sealed record PublishPart(string Command, string Channel, string Before, string After);

    private static ChatMessage ToMessage(NewMessage message, long id, DateTimeOffset sentAt) =>
        new(message.Room, id, message.AuthorId, message.AuthorName, message.Kind, message.Text,
            DateTimeOffset.FromUnixTimeMilliseconds(sentAt.ToUnixTimeMilliseconds()), message.ClientMessageId, Hop: message.Hop);

    private static ChatMessage ReadMessage(string room, long id, RedisResult fields, bool hidden)
    {
        string? author = null, name = null, text = null, clientId = null;
        long sentAt = 0;
        var kind = 0;
        var hop = 0;
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            var value = (string?)fields[i + 1];
            switch ((string?)fields[i])
            {
                case "a": author = value; break;
                case "n": name = value; break;
                case "k": kind = int.Parse(value!, CultureInfo.InvariantCulture); break;
                case "t": text = value; break;
                case "s": sentAt = long.Parse(value!, CultureInfo.InvariantCulture); break;
                case "c": clientId = value; break;
                case "h": hop = int.Parse(value!, CultureInfo.InvariantCulture); break;
            }
        }

        return new ChatMessage(room, id, author ?? string.Empty, name ?? string.Empty, (MessageKind)kind, text ?? string.Empty,
            DateTimeOffset.FromUnixTimeMilliseconds(sentAt), clientId, hidden, hop);
    }
}
