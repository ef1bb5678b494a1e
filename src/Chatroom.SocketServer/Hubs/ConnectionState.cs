using Chatroom.Core.Auth;
using Chatroom.Core.Chat;

namespace Chatroom.SocketServer.Hubs;

/// <summary>What one hub connection holds on this node: who it is, its rooms and its budgets.</summary>
public sealed class ConnectionState(ChatIdentity identity, TokenBucket rate)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastTyping = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastSent = new(StringComparer.Ordinal);

    public ChatIdentity Identity { get; } = identity;

    public TokenBucket Rate { get; } = rate;

    public bool IsIn(string room)
    {
        lock (_gate)
        {
            return _rooms.Contains(room);
        }
    }

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
            _lastSent.Remove(room);
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

    /// <summary>How long until slow mode lets this connection post in the room again (zero: now).</summary>
    public TimeSpan SlowModeWait(string room, int slowModeSeconds, DateTimeOffset now)
    {
        lock (_gate)
        {
            return _lastSent.TryGetValue(room, out var last) && now - last < TimeSpan.FromSeconds(slowModeSeconds)
                ? TimeSpan.FromSeconds(slowModeSeconds) - (now - last)
                : TimeSpan.Zero;
        }
    }

    public void Sent(string room, DateTimeOffset now)
    {
        lock (_gate)
        {
            _lastSent[room] = now;
        }
    }
}
