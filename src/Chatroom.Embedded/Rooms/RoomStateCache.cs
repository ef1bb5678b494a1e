using System.Collections.Concurrent;

namespace Chatroom.Embedded.Rooms;

/// <summary>
/// What a send checks about its room (the room's settings, its bans, its mutes), kept in memory by the embedded stores
/// so a send does not read the database three times. Only this process writes the embedded file, so every change goes
/// through a store method that calls <see cref="Invalidate"/> after its commit; the cache is then empty for everyone
/// at once, and the very next send reads what was committed. Changes are rare (settings, bans, mutes), sends are not:
/// dropping everything on a change is simpler than tracking which room changed, and cannot miss one.
/// Entries are per room, so the cache holds at most one entry of each kind per room that was sent to.
/// </summary>
public sealed class RoomStateCache
{
    private readonly ConcurrentDictionary<(string Kind, string Room), Entry> _entries = new();
    private long _generation;

    /// <summary>
    /// The cached value, or <paramref name="load"/>'s, cached unless a change committed while it loaded. Null is not
    /// cached (a room that does not exist), so names made up by a client cannot fill the cache.
    /// </summary>
    public async Task<T?> GetAsync<T>(string kind, string room, Func<Task<T?>> load) where T : class
    {
        var generation = Volatile.Read(ref _generation);
        if (_entries.TryGetValue((kind, room), out var entry) && entry.Generation == generation)
        {
            return (T)entry.Value;
        }

        // Tagged with the generation seen before the read: a change that commits during the read bumps the generation,
        // so the possibly stale value is never served.
        var value = await load();
        if (value is not null)
        {
            _entries[(kind, room)] = new Entry(generation, value);
        }

        return value;
    }

    /// <summary>Forgets everything; call after a change to rooms, bans or mutes has committed.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    private sealed record Entry(long Generation, object Value);
}
