using System.Collections.Concurrent;

namespace Chatroom.SocketServer.Hubs;

/// <summary>The state of this node's hub connections, by connection id.</summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, ConnectionState> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public void Add(string connectionId, ConnectionState state) => _connections[connectionId] = state;

    public ConnectionState? Remove(string connectionId) => _connections.TryRemove(connectionId, out var state) ? state : null;

    public ConnectionState? Get(string connectionId) => _connections.GetValueOrDefault(connectionId);
}
