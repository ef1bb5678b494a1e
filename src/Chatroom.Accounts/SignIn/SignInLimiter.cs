using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Chatroom.Core.Errors;
using Microsoft.Extensions.Options;

namespace Chatroom.Accounts.SignIn;

/// <summary>
/// Sign-in attempts per account name, whatever address they come from (a spread-out guessing attack), counted for names
/// with no account too so the limit says nothing about which names exist. Names with no account also get a lockout of
/// their own, the same as an account's, so <c>account_locked</c> does not tell which names exist either. Per node: the
/// lockout counter in the database is the shared guard for real accounts.
/// </summary>
public sealed class SignInLimiter(IOptions<AccountsOptions> options, TimeProvider time) : IDisposable
{
    // Past this many names, entries whose lockout is over are dropped: a stream of invented names cannot grow it forever.
    private const int MaxUnknownNames = 100_000;

    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(name =>
        RateLimitPartition.GetFixedWindowLimiter(name, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.SignInsPerAccountPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    private readonly ConcurrentDictionary<string, UnknownName> _unknownNames = new(StringComparer.Ordinal);

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

    /// <summary>Refuses a name with no account as an account's lockout would, while its pretend lockout lasts.</summary>
    public void EnsureUnknownNameNotLocked(string normalizedName)
    {
        if (_unknownNames.TryGetValue(normalizedName, out var entry) && entry.LockedUntil is { } until && until > time.GetUtcNow())
        {
            throw SignInChecks.Locked(until - time.GetUtcNow());
        }
    }

    /// <summary>
    /// Counts a failed sign-in for a name with no account the way Identity counts one for an account: the failure that
    /// reaches the limit locks the name, and the count starts again once the lockout is over.
    /// </summary>
    public void UnknownNameFailed(string normalizedName)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        if (_unknownNames.Count >= MaxUnknownNames)
        {
            foreach (var (name, stale) in _unknownNames)
            {
                if (stale.LockedUntil is null || stale.LockedUntil <= now)
                {
                    _unknownNames.TryRemove(name, out _);
                }
            }
        }

        var updated = _unknownNames.AddOrUpdate(normalizedName, _ => Next(new UnknownName(0, null)), (_, entry) => Next(entry));
        if (updated.LockedUntil is { } until && until > now)
        {
            throw SignInChecks.Locked(until - now);
        }

        UnknownName Next(UnknownName entry)
        {
            if (entry.LockedUntil is { } end && end > now)
            {
                return entry;
            }

            var failures = entry.LockedUntil is null ? entry.Failures + 1 : 1;
            return failures >= settings.MaxFailedSignIns ? new UnknownName(0, now + settings.LockoutDuration) : new UnknownName(failures, null);
        }
    }

    public void Dispose() => _limiter.Dispose();

    private sealed record UnknownName(int Failures, DateTimeOffset? LockedUntil);
}
