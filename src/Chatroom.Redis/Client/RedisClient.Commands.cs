using Chatroom.Redis.Client;
using Chatroom.Redis.Protocol;

namespace Chatroom.Redis;

/// <summary>Typed commands: only those the ports and the benchmark use.</summary>
public sealed partial class RedisClient
{
    internal ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var command = new RedisCommand(Commands.Get, 1, keyIndex: 0);
        command.Add(key);
        return ExecuteAsync(command, Parsers.String, cancellationToken);
    }

    internal ValueTask<bool> SetAsync(string key, string value, CancellationToken cancellationToken) =>
        SetAsync(key, value, expiry: null, onlyIfMissing: false, cancellationToken);

    internal ValueTask<bool> SetAsync(string key, byte[] value, CancellationToken cancellationToken)
    {
        var command = new RedisCommand(Commands.Set, 2, keyIndex: 0);
        command.Add(key);
        command.Add(value);
        return ExecuteAsync(command, Parsers.NotNull, cancellationToken);
    }

    /// <summary>SET with optional PX and NX; false when NX found the key.</summary>
    internal ValueTask<bool> SetAsync(string key, string value, TimeSpan? expiry, bool onlyIfMissing, CancellationToken cancellationToken)
    {
        var command = new RedisCommand(Commands.Set, 5, keyIndex: 0);
        command.Add(key);
        command.Add(value);
        if (expiry is { } ttl)
        {
            command.Add(Commands.Px);
            command.Add(Math.Max(1, (long)ttl.TotalMilliseconds));
        }

        if (onlyIfMissing)
        {
            command.Add(Commands.Nx);
        }

        return ExecuteAsync(command, Parsers.NotNull, cancellationToken);
    }

    internal ValueTask<long> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        var command = new RedisCommand(Commands.Exists, 1, keyIndex: 0);
        command.Add(key);
        return ExecuteAsync(command, Parsers.Int64, cancellationToken);
    }

    /// <summary>Deletes keys that share one slot (one hash tag).</summary>
    internal ValueTask<long> DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var command = new RedisCommand(Commands.Del, keys.Count, keyIndex: 0);
        foreach (var key in keys)
        {
            command.Add(key);
        }

        return ExecuteAsync(command, Parsers.Int64, cancellationToken);
    }

    internal ValueTask<long> HashSetAsync(string key, IReadOnlyList<KeyValuePair<string, string>> fields, CancellationToken cancellationToken)
    {
        var command = new RedisCommand(Commands.HSet, 1 + fields.Count * 2, keyIndex: 0);
        command.Add(key);
        foreach (var (field, value) in fields)
        {
            command.Add(field);
            command.Add(value);
        }

        return ExecuteAsync(command, Parsers.Int64, cancellationToken);
    }

    /// <summary>HSETNX: false when the field exists already.</summary>
    internal async ValueTask<bool> HashSetIfMissingAsync(string key, string field, string value, CancellationToken cancellationToken)
    {
        var command = new RedisCommand(Commands.HSetNx, 3, keyIndex: 0);
        command.Add(key);
        command.Add(field);
        command.Add(value);
        return await ExecuteAsync(command, Parsers.Int64, cancellationToken) == 1;
    }

    internal ValueTask<string?> HashGetAsync(string key, string field, CancellationToken cancellationToken)
    {
        var command = new RedisCommand(Commands.HGet, 2, keyIndex: 0);
        command.Add(key);
        command.Add(field);
        return ExecuteAsync(command, Parsers.String, cancellationToken);
    }

    /// <summary>All fields of a hash; empty when the key does not exist.</summary>
    internal async ValueTask<Dictionary<string, string>> HashGetAllAsync(string key, CancellationToken cancellationToken)
    {
        var command = new RedisCommand(Commands.HGetAll, 1, keyIndex: 0);
        command.Add(key);
        var reply = await ExecuteAsync(command, Parsers.Value, cancellationToken);
        var result = new Dictionary<string, string>(reply.Count / 2, StringComparer.Ordinal);
        for (var i = 0; i + 1 < reply.Count; i += 2)
        {
            result[reply[i].AsString()!] = reply[i + 1].AsString() ?? string.Empty;
        }

        return result;
    }

    internal ValueTask<long> HashDeleteAsync(string key, string field, CancellationToken cancellationToken)
    {
        var command = new RedisCommand(Commands.HDel, 2, keyIndex: 0);
        command.Add(key);
        command.Add(field);
        return ExecuteAsync(command, Parsers.Int64, cancellationToken);
    }

    internal ValueTask<long> HashLengthAsync(string key, CancellationToken cancellationToken)
    {
        var command = new RedisCommand(Commands.HLen, 1, keyIndex: 0);
        command.Add(key);
        return ExecuteAsync(command, Parsers.Int64, cancellationToken);
    }

    internal ValueTask<long> SetAddAsync(string key, string member, CancellationToken cancellationToken)
    {
        var command = new RedisCommand(Commands.SAdd, 2, keyIndex: 0);
        command.Add(key);
        command.Add(member);
        return ExecuteAsync(command, Parsers.Int64, cancellationToken);
    }

    internal ValueTask<long> SetRemoveAsync(string key, string member, CancellationToken cancellationToken)
    {
        var command = new RedisCommand(Commands.SRem, 2, keyIndex: 0);
        command.Add(key);
        command.Add(member);
        return ExecuteAsync(command, Parsers.Int64, cancellationToken);
    }

    internal async ValueTask<IReadOnlyList<string>> SetMembersAsync(string key, CancellationToken cancellationToken)
    {
        var command = new RedisCommand(Commands.SMembers, 1, keyIndex: 0);
        command.Add(key);
        var reply = await ExecuteAsync(command, Parsers.Value, cancellationToken);
        return reply.Items?.Select(i => i.AsString()!).ToList() ?? [];
    }

    /// <summary>XADD with MAXLEN ~ (when <paramref name="maxLength"/> &gt; 0) and an id (<c>*</c> for the server's); returns the entry id.</summary>
    internal ValueTask<string?> StreamAddAsync(string key, string id, long maxLength, IReadOnlyList<KeyValuePair<string, string>> fields, CancellationToken cancellationToken)
    {
        var command = new RedisCommand(Commands.XAdd, 5 + fields.Count * 2, keyIndex: 0);
        command.Add(key);
        if (maxLength > 0)
        {
            command.Add(Commands.MaxLen);
            command.Add(Commands.Approximately);
            command.Add(maxLength);
        }

        command.Add(id);
        foreach (var (field, value) in fields)
        {
            command.Add(field);
            command.Add(value);
        }

        return ExecuteAsync(command, Parsers.String, cancellationToken);
    }

    /// <summary>XADD of one field with a byte payload (the benchmark's shape).</summary>
    internal ValueTask<string?> StreamAddAsync(string key, long maxLength, string field, byte[] value, CancellationToken cancellationToken)
    {
        var command = new RedisCommand(Commands.XAdd, 7, keyIndex: 0);
        command.Add(key);
        if (maxLength > 0)
        {
            command.Add(Commands.MaxLen);
            command.Add(Commands.Approximately);
            command.Add(maxLength);
        }

        command.Add("*");
        command.Add(field);
        command.Add(value);
        return ExecuteAsync(command, Parsers.String, cancellationToken);
    }

    internal async ValueTask<IReadOnlyList<StreamEntry>> StreamRangeAsync(string key, string start, string end, int count, bool reverse, CancellationToken cancellationToken)
    {
        var command = new RedisCommand(reverse ? Commands.XRevRange : Commands.XRange, 5, keyIndex: 0);
        command.Add(key);
        command.Add(start);
        command.Add(end);
        command.Add(Commands.Count);
        command.Add(count);
        var reply = await ExecuteAsync(command, Parsers.Value, cancellationToken);
        return StreamEntry.ReadAll(reply);
    }

    internal ValueTask<long> StreamLengthAsync(string key, CancellationToken cancellationToken)
    {
        var command = new RedisCommand(Commands.XLen, 1, keyIndex: 0);
        command.Add(key);
        return ExecuteAsync(command, Parsers.Int64, cancellationToken);
    }

    /// <summary>XGROUP CREATE … MKSTREAM; false when the group exists already.</summary>
    internal async ValueTask<bool> StreamCreateGroupAsync(string key, string group, CancellationToken cancellationToken)
    {
        var command = new RedisCommand(Commands.XGroup, 5, keyIndex: 1);
        command.Add(Commands.Create);
        command.Add(key);
        command.Add(group);
        command.Add("0");
        command.Add(Commands.MkStream);
        try
        {
            return await ExecuteAsync(command, Parsers.Ok, cancellationToken);
        }
        catch (RedisServerException e) when (e.Prefix == "BUSYGROUP")
        {
            return false;
        }
    }

    /// <summary>XREADGROUP of new entries (<c>&gt;</c>); blocks up to <paramref name="block"/> on a dedicated connection when given.</summary>
    internal async ValueTask<IReadOnlyList<StreamEntry>> StreamReadGroupAsync(string key, string group, string consumer, int count, TimeSpan? block, CancellationToken cancellationToken)
    {
        var command = new RedisCommand(Commands.XReadGroup, 9, keyIndex: 7);
        command.Add(Commands.Group);
        command.Add(group);
        command.Add(consumer);
        command.Add(Commands.Count);
        command.Add(count);
        if (block is { } wait)
        {
            command.Add(Commands.Block);
            command.Add(Math.Max(1, (long)wait.TotalMilliseconds));
            command.KeyIndex = 9;
        }

        command.Add(Commands.Streams);
        command.Add(key);
        command.Add(">");
        var reply = block is { } blockFor
            ? await ExecuteBlockingAsync(command, Parsers.Value, blockFor, cancellationToken)
            : await ExecuteAsync(command, Parsers.Value, cancellationToken);
        if (reply.IsNull || reply.Count == 0)
        {
            return [];
        }

        // RESP2: [[key, entries]]; RESP3: {key: entries}.
        var entries = reply.Kind == RespKind.Map ? reply[1] : reply[0][1];
        return StreamEntry.ReadAll(entries);
    }

    /// <summary>XACK then XDEL in one pipeline, so the stream holds only unacknowledged entries.</summary>
    internal async ValueTask<bool> StreamAckAndDeleteAsync(string key, string group, string id, CancellationToken cancellationToken)
    {
        var ack = new RedisCommand(Commands.XAck, 3, keyIndex: 0);
        ack.Add(key);
        ack.Add(group);
        ack.Add(id);
        var delete = new RedisCommand(Commands.XDel, 2, keyIndex: 0);
        delete.Add(key);
        delete.Add(id);
        var acked = ExecuteAsync(ack, Parsers.Int64, cancellationToken);
        var deleted = ExecuteAsync(delete, Parsers.Int64, cancellationToken);
        var count = await acked;
        await deleted;
        return count == 1;
    }

    /// <summary>PUBLISH, or SPUBLISH (routed to the channel's shard) on a cluster; returns the receivers reached.</summary>
    internal ValueTask<long> PublishAsync(string channel, string payload, CancellationToken cancellationToken)
    {
        var command = new RedisCommand(IsCluster ? Commands.SPublish : Commands.Publish, 2, keyIndex: 0);
        command.Add(channel);
        command.Add(payload);
        return ExecuteAsync(command, Parsers.Int64, cancellationToken);
    }

    /// <summary>SUBSCRIBE, or SSUBSCRIBE on a cluster; the handler runs on the connection's reader and must not block.</summary>
    internal async Task<IAsyncDisposable> SubscribeAsync(string channel, Action<string, string> handler, CancellationToken cancellationToken)
    {
        await WaitUntilReadyAsync(cancellationToken);
        return await Subscriber.SubscribeAsync(channel, handler, cancellationToken);
    }
}

/// <summary>A stream entry: its id and its field/value pairs.</summary>
internal sealed record StreamEntry(string Id, IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    public string? this[string field]
    {
        get
        {
            foreach (var (name, value) in Fields)
            {
                if (name == field)
                {
                    return value;
                }
            }

            return null;
        }
    }

    public static IReadOnlyList<StreamEntry> ReadAll(RespValue reply)
    {
        if (reply.Items is null)
        {
            return [];
        }

        var entries = new List<StreamEntry>(reply.Count);
        foreach (var item in reply.Items)
        {
            if (Read(item) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    public static StreamEntry? Read(RespValue item)
    {
        if (item.IsNull || item.Count < 2 || item[1].IsNull)
        {
            return null;
        }

        var raw = item[1];
        var fields = new List<KeyValuePair<string, string>>(raw.Count / 2);
        for (var i = 0; i + 1 < raw.Count; i += 2)
        {
            fields.Add(new(raw[i].AsString()!, raw[i + 1].AsString() ?? string.Empty));
        }

        return new StreamEntry(item[0].AsString()!, fields);
    }
}
