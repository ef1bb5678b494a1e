using System.Globalization;
using Chatroom.Core.Rooms;
using Chatroom.Redis.Caching;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chatroom.Redis.Rooms;

/// <summary>
/// Rooms as hashes (<c>{room:name}:room</c>), bans, members and read markers as hashes per room, a set indexing room
/// names, and a set per user naming their rooms. Deleting a room deletes every key of its hash tag, its messages included.
/// The per-user sets live in other slots, so they follow membership changes in a second command: a crash in between
/// leaves at worst a name in the set whose membership is gone, which readers skip.
/// With a <see cref="NodeStateCache"/> (as registered), a room and a user's ban are read from it: every send reads them.
/// </summary>
public sealed class RedisRoomStore(IConnectionMultiplexer redis, IOptions<RedisBackendOptions> options, NodeStateCache? cache = null) : IRoomStore
{
    private const string CreateScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'name', ARGV[1], 'createdBy', ARGV[2], 'createdAt', ARGV[3], 'slow', ARGV[4], 'locked', ARGV[5], 'visibility', ARGV[8])
        if ARGV[6] == '1' then redis.call('HSET', KEYS[1], 'topic', ARGV[7]) end
        return 1
        """;

    private const string UpdateScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[1], 'slow', ARGV[1], 'locked', ARGV[2])
        return 1
        """;

    private const string DeleteScript = """
        local existed = redis.call('EXISTS', KEYS[1])
        redis.call('DEL', unpack(KEYS))
        return existed
        """;

    private const string SetMemberScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        return 1
        """;

    private const string RemoveMemberScript = """
        redis.call('HDEL', KEYS[2], ARGV[1])
        return redis.call('HDEL', KEYS[1], ARGV[1])
        """;

    private const string MarkReadScript = """
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
        local current = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
        if tonumber(ARGV[2]) > current then redis.call('HSET', KEYS[2], ARGV[1], ARGV[2]) end
        return 1
        """;

    private readonly IDatabase _db = redis.GetDatabase();
    private readonly RedisKeys _keys = new(options.Value.KeyPrefix);

    public Task<bool> TryCreateAsync(Room room, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
    {
        var created = await _db.ScriptEvaluateAsync(CreateScript, [_keys.Room(room.Name)],
        [
            room.Name, room.CreatedBy, room.CreatedAt.ToUnixTimeMilliseconds(), room.SlowModeSeconds, room.Locked ? 1 : 0,
            room.Topic is null ? 0 : 1, room.Topic ?? string.Empty, room.Visibility,
        ]);
        if ((long)created != 1)
        {
            return false;
        }

        await _db.SetAddAsync(_keys.RoomIndex, room.Name);
        await ChangedAsync(StateChange.RoomScope, room.Name, null);
        return true;
    });

    public Task<Room?> GetAsync(string name, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, () =>
        cache is null ? ReadRoomAsync(name) : cache.GetOrReadAsync(NodeStateCache.RoomKey(name), () => ReadRoomAsync(name)));

    public Task<IReadOnlyList<Room>> ListAsync(CancellationToken cancellationToken) => RedisPort.GuardAsync<IReadOnlyList<Room>>(redis, cancellationToken, async () =>
    {
        var names = await _db.SetMembersAsync(_keys.RoomIndex);
        var fetches = names.Select(n => _db.HashGetAllAsync(_keys.Room(n!))).ToList();
        var rooms = new List<Room>(names.Length);
        foreach (var fetch in fetches)
        {
            if (ReadRoom(await fetch) is { } room)
            {
                rooms.Add(room);
            }
        }

        rooms.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return rooms;
    });

    public Task<bool> UpdateSettingsAsync(string name, int slowModeSeconds, bool locked, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
        {
            var updated = (long)await _db.ScriptEvaluateAsync(UpdateScript, [_keys.Room(name)], [slowModeSeconds, locked ? 1 : 0]) == 1;
            await ChangedAsync(StateChange.RoomScope, name, null);
            return updated;
        });

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => RedisPort.GuardAsync(redis, cancellationToken, async () =>
    {
        var members = await _db.HashKeysAsync(_keys.RoomMembers(name));
        var existed = (long)await _db.ScriptEvaluateAsync(DeleteScript, [.. _keys.RoomKeys(name).Select(k => (RedisKey)k)]) == 1;
        await _db.SetRemoveAsync(_keys.RoomIndex, name);
        await Task.WhenAll(members.Select(m => _db.SetRemoveAsync(_keys.MemberRooms(m!), name)));
        await ChangedAsync(StateChange.RoomScope, name, null);
        return existed;
    });

    public Task BanAsync(string room, string userId, DateTimeOffset? until, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
        {
            await _db.HashSetAsync(_keys.RoomBans(room), userId, until is { } u ? u.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) : string.Empty);
            await ChangedAsync(StateChange.BanScope, room, userId);
        });

    public Task UnbanAsync(string room, string userId, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
        {
            await _db.HashDeleteAsync(_keys.RoomBans(room), userId);
            await ChangedAsync(StateChange.BanScope, room, userId);
        });

    public Task<bool> IsBannedAsync(string room, string userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
        {
            var until = cache is null ? await ReadBanAsync(room, userId) : await cache.GetOrReadAsync(NodeStateCache.BanKey(room, userId), () => ReadBanAsync(room, userId));
            return until switch
            {
                null => false,
                "" => true,
                _ => long.Parse(until, CultureInfo.InvariantCulture) > now.ToUnixTimeMilliseconds(),
            };
        });

    public Task<bool> SetMemberAsync(string room, RoomMember member, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
        {
            var value = string.Create(CultureInfo.InvariantCulture, $"{member.Role}|{member.Since.ToUnixTimeMilliseconds()}");
            if ((long)await _db.ScriptEvaluateAsync(SetMemberScript, [_keys.Room(room), _keys.RoomMembers(room)], [member.UserId, value]) != 1)
            {
                return false;
            }

            await _db.SetAddAsync(_keys.MemberRooms(member.UserId), room);
            return true;
        });

    public Task<RoomMember?> GetMemberAsync(string room, string userId, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
        {
            var member = _db.HashGetAsync(_keys.RoomMembers(room), userId);
            var read = _db.HashGetAsync(_keys.RoomReadMarkers(room), userId);
            return ReadMember(userId, await member, await read);
        });

    public Task<bool> RemoveMemberAsync(string room, string userId, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, async () =>
        {
            var removed = (long)await _db.ScriptEvaluateAsync(RemoveMemberScript, [_keys.RoomMembers(room), _keys.RoomReadMarkers(room)], [userId]) == 1;
            await _db.SetRemoveAsync(_keys.MemberRooms(userId), room);
            return removed;
        });

    public Task<IReadOnlyList<RoomMember>> ListMembersAsync(string room, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync<IReadOnlyList<RoomMember>>(redis, cancellationToken, async () =>
        {
            var members = _db.HashGetAllAsync(_keys.RoomMembers(room));
            var reads = (await _db.HashGetAllAsync(_keys.RoomReadMarkers(room))).ToDictionary(e => (string)e.Name!, e => e.Value);
            return [.. (await members)
                .Select(e => ReadMember(e.Name!, e.Value, reads.GetValueOrDefault((string)e.Name!, RedisValue.Null))!)
                .OrderBy(m => m.UserId, StringComparer.Ordinal)];
        });

    public Task<IReadOnlyList<string>> ListRoomsOfAsync(string userId, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync<IReadOnlyList<string>>(redis, cancellationToken, async () =>
            [.. (await _db.SetMembersAsync(_keys.MemberRooms(userId))).Select(r => (string)r!).Order(StringComparer.Ordinal)]);

    public Task MarkReadAsync(string room, string userId, long messageId, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(redis, cancellationToken, () =>
            _db.ScriptEvaluateAsync(MarkReadScript, [_keys.RoomMembers(room), _keys.RoomReadMarkers(room)], [userId, messageId]));

    private async Task<Room?> ReadRoomAsync(string name) => ReadRoom(await _db.HashGetAllAsync(_keys.Room(name)));

    /// <summary>The stored ban: null for none, empty for good, else its end in ms.</summary>
    private async Task<string?> ReadBanAsync(string room, string userId) => await _db.HashGetAsync(_keys.RoomBans(room), userId);

    private Task ChangedAsync(string scope, string room, string? userId) =>
        cache?.ChangedAsync(new StateChange(scope, room, userId)) ?? Task.CompletedTask;

    private static RoomMember? ReadMember(string userId, RedisValue member, RedisValue read)
    {
        if (member.IsNull)
        {
            return null;
        }

        var text = (string)member!;
        var bar = text.IndexOf('|', StringComparison.Ordinal);
        return new RoomMember(
            userId,
            text[..bar],
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(text.AsSpan(bar + 1), CultureInfo.InvariantCulture)),
            read.IsNull ? 0 : long.Parse((string)read!, CultureInfo.InvariantCulture));
    }

    private static Room? ReadRoom(HashEntry[] entries)
    {
        var fields = entries.ToStringDictionary();
        if (!fields.TryGetValue("name", out var name))
        {
            return null;
        }

        return new Room(
            name,
            fields.GetValueOrDefault("topic"),
            fields.GetValueOrDefault("createdBy", string.Empty),
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(fields.GetValueOrDefault("createdAt", "0"), CultureInfo.InvariantCulture)),
            int.Parse(fields.GetValueOrDefault("slow", "0"), CultureInfo.InvariantCulture),
            fields.GetValueOrDefault("locked") == "1",
            fields.GetValueOrDefault("visibility", RoomVisibility.Public));
    }
}
