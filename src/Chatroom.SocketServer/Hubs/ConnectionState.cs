using Chatroom.Core.Auth;
using Chatroom.Core.Chat;
using Microsoft.AspNetCore.SignalR;

namespace Chatroom.SocketServer.Hubs;

/// <summary>What one hub connection holds on this node: who it is, its rooms, its own rate and its user's shared budget.</summary>
public sealed class ConnectionState(ChatIdentity identity, TokenBucket rate, UserBudget user) : ISender
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastTyping = new(StringComparer.Ordinal);

    public ChatIdentity Identity { get; } = identity;

    /// <summary>The connection's hub context, so a node can close it from outside a hub call (an account closed elsewhere).</summary>
    public HubCallerContext? Caller { get; init; }

    public TokenBucket Rate { get; } = rate;

    public UserBudget User { get; } = user;

    public bool IsIn(string room)
    {
        lock (_gate)
        {
            return _rooms.Contains(room);
        }
    }

    /// <summary>Joining a members-only room checks membership, and losing it removes the room here (<c>memberRemoved</c>).</summary>
    public bool MembershipChecked(string room) => IsIn(room);

    public int RoomCount
    {
        get
        {
            lock (_gate)
            {
                return _rooms.Count;
            }
        }
    }

    /// <summary>True when the room was not joined on this connection before.</summary>
    public bool Add(string room)
    {
        lock (_gate)
        {
            return _rooms.Add(room);
        }
    }

    public bool Remove(string room)
    {
        lock (_gate)
        {
            _lastTyping.Remove(room);
            return _rooms.Remove(room);
        }
    }

    public IReadOnlyList<string> Rooms()
    {
        lock (_gate)
        {
            return [.. _rooms];
        }
    }

    /// <summary>True when a typing event for the room may go out now (at most one per interval).</summary>
    public bool TryTyping(string room, long now, long minGapTicks)
    {
        lock (_gate)
        {
            if (_lastTyping.TryGetValue(room, out var last) && now - last < minGapTicks)
            {
                return false;
            }

            _lastTyping[room] = now;
            return true;
        }
    }
}
