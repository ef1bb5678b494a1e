namespace Chatroom.Core.Chat;

/// <summary>A thread-safe token bucket: <c>burst</c> tokens, refilled at <c>ratePerSecond</c>.</summary>
public sealed class TokenBucket(double ratePerSecond, int burst, TimeProvider time)
{
    private readonly Lock _gate = new();
    private double _tokens = burst;
    private long _last = time.GetTimestamp();

    /// <summary>Takes a token, or says how long until one is available.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(burst, _tokens + time.GetElapsedTime(_last, now).TotalSeconds * ratePerSecond);
            _last = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((1 - _tokens) / ratePerSecond);
            return false;
        }
    }
}
