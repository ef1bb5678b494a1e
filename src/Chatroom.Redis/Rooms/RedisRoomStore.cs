using System.Globalization;
using Chatroom.Core.Rooms;
using Chatroom.Redis.Client;
using Microsoft.Extensions.Options;

namespace Chatroom.Redis.Rooms;

/// <summary>
/// Rooms as hashes (<c>{room:name}:room</c>), bans as a hash per room, and a set indexing room names.
/// Deleting a room deletes every key of its hash tag, its messages included.
/// </summary>
public sealed class RedisRoomStore(RedisClient client, IOptions<RedisBackendOptions> options) : IRoomStore
{
    private static readonly RedisScript CreateScript = new("""
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'name', ARGV[1], 'createdBy', ARGV[2], 'createdAt', ARGV[3], 'slow', ARGV[4], 'locked', ARGV[5])
        if ARGV[6] == '1' then redis.call('HSET', KEYS[1], 'topic', ARGV[7]) end
        return 1
        """);

    private static readonly RedisScript UpdateScript = new("""
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[1], 'slow', ARGV[1], 'locked', ARGV[2])
        return 1
        """);

    private static readonly RedisScript DeleteScript = new("""
        local existed = redis.call('EXISTS', KEYS[1])
        redis.call('DEL', unpack(KEYS))
        return existed
        """);

    private readonly RedisKeys _keys = new(options.Value.KeyPrefix);

    public Task<bool> TryCreateAsync(Room room, CancellationToken cancellationToken) => RedisPort.GuardAsync(async () =>
    {
        var created = await client.EvalAsync(CreateScript, [_keys.Room(room.Name)],
        [
            room.Name, room.CreatedBy, room.CreatedAt.ToUnixTimeMilliseconds(), room.SlowModeSeconds, room.Locked ? 1 : 0,
            room.Topic is null ? 0 : 1, room.Topic ?? string.Empty,
        ], cancellationToken);
        if (created.AsInt64() != 1)
        {
            return false;
        }

        await client.SetAddAsync(_keys.RoomIndex, room.Name, cancellationToken);
        return true;
    });

    public Task<Room?> GetAsync(string name, CancellationToken cancellationToken) => RedisPort.GuardAsync(async () =>
        ReadRoom(await client.HashGetAllAsync(_keys.Room(name), cancellationToken)));

    public Task<IReadOnlyList<Room>> ListAsync(CancellationToken cancellationToken) => RedisPort.GuardAsync<IReadOnlyList<Room>>(async () =>
    {
        var names = await client.SetMembersAsync(_keys.RoomIndex, cancellationToken);
        var fetches = names.Select(n => client.HashGetAllAsync(_keys.Room(n), cancellationToken).AsTask()).ToList();
        var rooms = new List<Room>(names.Count);
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
        RedisPort.GuardAsync(async () =>
            (await client.EvalAsync(UpdateScript, [_keys.Room(name)], [slowModeSeconds, locked ? 1 : 0], cancellationToken)).AsInt64() == 1);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => RedisPort.GuardAsync(async () =>
    {
        var existed = (await client.EvalAsync(DeleteScript, _keys.RoomKeys(name), [], cancellationToken)).AsInt64() == 1;
        await client.SetRemoveAsync(_keys.RoomIndex, name, cancellationToken);
        return existed;
    });

    public Task BanAsync(string room, string userId, DateTimeOffset? until, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(async () => await client.HashSetAsync(_keys.RoomBans(room),
            [new(userId, until is { } u ? u.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) : string.Empty)], cancellationToken));

    public Task UnbanAsync(string room, string userId, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(async () => await client.HashDeleteAsync(_keys.RoomBans(room), userId, cancellationToken));

    public Task<bool> IsBannedAsync(string room, string userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        RedisPort.GuardAsync(async () =>
        {
            var until = await client.HashGetAsync(_keys.RoomBans(room), userId, cancellationToken);
            return until switch
            {
                null => false,
                "" => true,
                _ => long.Parse(until, CultureInfo.InvariantCulture) > now.ToUnixTimeMilliseconds(),
            };
        });

    private static Room? ReadRoom(Dictionary<string, string> fields)
    {
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
            fields.GetValueOrDefault("locked") == "1");
    }
}
