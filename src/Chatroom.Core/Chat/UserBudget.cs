namespace Chatroom.Core.Chat;

/// <summary>
/// What all of one user's connections on this node share: a token bucket (so opening more tabs does not multiply the
/// rate) and the last post per room (so slow mode holds per person, not per connection).
/// </summary>
public sealed class UserBudget(TokenBucket rate)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _lastSent = new(StringComparer.Ordinal);

    public TokenBucket Rate { get; } = rate;

    /// <summary>How long until slow mode lets this user post in the room again (zero: now).</summary>
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
