using System.Threading.RateLimiting;
using Chatroom.Core.Errors;
using Microsoft.Extensions.Options;

namespace Chatroom.Accounts.SignIn;

/// <summary>
/// Sign-in attempts per account name, whatever address they come from (a spread-out guessing attack), counted for names
/// with no account too so the limit says nothing about which names exist. Per node: the lockout counter is the shared guard.
/// </summary>
public sealed class SignInLimiter(IOptions<AccountsOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(name =>
        RateLimitPartition.GetFixedWindowLimiter(name, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.SignInsPerAccountPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public void Acquire(string normalizedName)
    {
        using var lease = _limiter.AttemptAcquire(normalizedName);
        if (!lease.IsAcquired)
        {
            var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
            throw new ChatException(ErrorCodes.RateLimited,
                $"too many sign-in attempts for this account; wait {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} s", wait);
        }
    }

    public void Dispose() => _limiter.Dispose();
}
