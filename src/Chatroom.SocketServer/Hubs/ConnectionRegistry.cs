using System.Collections.Concurrent;
using Chatroom.Core.Chat;

namespace Chatroom.SocketServer.Hubs;

/// <summary>The state of this node's hub connections, by connection id, and what a user's connections share.</summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, ConnectionState> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, UserBudget> _users = new(StringComparer.Ordinal);

    /// <summary>The budget a user's connections on this node share (rate across connections, slow mode per room).</summary>
    public UserBudget BudgetOf(string userId, Func<UserBudget> create) => _users.GetOrAdd(userId, _ => create());

    public int Count => _connections.Count;

    public void Add(string connectionId, ConnectionState state) => _connections[connectionId] = state;

    /// <summary>Removes the connection, and its user's budget once the user has no connection left on this node.</summary>
    public ConnectionState? Remove(string connectionId)
    {
        if (!_connections.TryRemove(connectionId, out var state))
        {
            return null;
        }

        if (!_connections.Values.Any(c => c.Identity.UserId == state.Identity.UserId))
        {
            _users.TryRemove(state.Identity.UserId, out _);
        }

        return state;
    }

    public ConnectionState? Get(string connectionId) => _connections.GetValueOrDefault(connectionId);

    /// <summary>This node's connections of one user, as they are now.</summary>
    public IReadOnlyList<ConnectionState> OfUser(string userId) => [.. _connections.Values.Where(c => c.Identity.UserId == userId)];

    /// <summary>Every connection of this node, as it is now.</summary>
    public IReadOnlyList<KeyValuePair<string, ConnectionState>> Snapshot() => [.. _connections];
}
