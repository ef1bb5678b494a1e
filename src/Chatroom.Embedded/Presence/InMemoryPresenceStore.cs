using Chatroom.Core.Presence;

namespace Chatroom.Embedded.Presence;

/// <summary>Presence for a single node: nothing to expire, since the node and its entries live and die together.</summary>
public sealed class InMemoryPresenceStore : IPresenceStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PresenceEntry> _connections = new();
    private readonly Dictionary<string, Dictionary<string, PresenceEntry>> _rooms = new();

    public ValueTask ConnectAsync(PresenceEntry entry, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _connections[entry.ConnectionId] = entry;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<string>> DisconnectAsync(string connectionId, CancellationToken cancellationToken)
    {
        var left = new List<string>();
        lock (_gate)
        {
            _connections.Remove(connectionId);
            foreach (var (room, members) in _rooms)
            {
                if (members.Remove(connectionId, out var entry) && !HasUser(members, entry.UserId))
                {
                    left.Add(room);
                }
            }

            foreach (var room in left.Where(r => _rooms[r].Count == 0).ToList())
            {
                _rooms.Remove(room);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<string>>(left);
    }

    public ValueTask<bool> JoinAsync(string room, PresenceEntry entry, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_rooms.TryGetValue(room, out var members))
            {
                _rooms[room] = members = new Dictionary<string, PresenceEntry>();
            }

            var isNew = !HasUser(members, entry.UserId);
            members[entry.ConnectionId] = entry;
            return ValueTask.FromResult(isNew);
        }
    }

    public ValueTask<bool> LeaveAsync(string room, string connectionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_rooms.TryGetValue(room, out var members) || !members.Remove(connectionId, out var entry))
            {
                return ValueTask.FromResult(false);
            }

            if (members.Count == 0)
            {
                _rooms.Remove(room);
            }

            return ValueTask.FromResult(!HasUser(members, entry.UserId));
        }
    }

    public ValueTask<IReadOnlyList<PresentUser>> ListAsync(string room, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<PresentUser> users = _rooms.TryGetValue(room, out var members)
                ? members.Values.DistinctBy(e => e.UserId).Select(e => new PresentUser(e.UserId, e.UserName)).OrderBy(u => u.Name, StringComparer.OrdinalIgnoreCase).ToList()
                : [];
            return ValueTask.FromResult(users);
        }
    }

    public ValueTask<long> CountUsersAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult((long)_connections.Values.Select(e => e.UserId).Distinct().Count());
        }
    }

    public ValueTask<IReadOnlyList<PresenceDeparture>> ResetNodeAsync(string node, CancellationToken cancellationToken)
    {
        var departures = new List<PresenceDeparture>();
        lock (_gate)
        {
            foreach (var connection in _connections.Values.Where(e => e.Node == node).Select(e => e.ConnectionId).ToList())
            {
                _connections.Remove(connection);
            }

            foreach (var (room, members) in _rooms)
            {
                foreach (var entry in members.Values.Where(e => e.Node == node).ToList())
                {
                    members.Remove(entry.ConnectionId);
                    if (!HasUser(members, entry.UserId))
                    {
                        departures.Add(new PresenceDeparture(room, new PresentUser(entry.UserId, entry.UserName)));
                    }
                }
            }

            foreach (var room in _rooms.Where(r => r.Value.Count == 0).Select(r => r.Key).ToList())
            {
                _rooms.Remove(room);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<PresenceDeparture>>(departures.DistinctBy(d => (d.Room, d.User.Id)).ToList());
    }

    public ValueTask HeartbeatAsync(string node, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<IReadOnlyList<PresenceDeparture>> SweepAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<PresenceDeparture>>([]);

    private static bool HasUser(Dictionary<string, PresenceEntry> members, string userId) =>
        members.Values.Any(e => e.UserId == userId);
}
