using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Chatroom.Api.Moderation;

/// <summary>
/// Appeals per person per hour (<c>Chatroom:Api:AppealsPerHour</c>). Counted in the handler, after the checks, so a refused
/// appeal (not theirs, nothing to appeal) costs nothing; per API replica, as the sign-in limit is.
/// </summary>
public sealed class AppealLimiter(IOptions<ApiOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(userId =>
        RateLimitPartition.GetFixedWindowLimiter(userId, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.AppealsPerHour,
            Window = TimeSpan.FromHours(1),
            QueueLimit = 0,
        }));

    /// <summary>Takes one appeal from the person's allowance; false with how long to wait when it is spent.</summary>
    public bool TryAcquire(string userId, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(userId);
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromHours(1);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
