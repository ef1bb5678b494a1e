using System.Collections.Concurrent;
using Chatroom.Core.Auth;
using Chatroom.Core.Chat;
using Microsoft.Extensions.Options;

namespace Chatroom.Api.Posting;

/// <summary>
/// The budgets of people posting through this API node (REST and MCP alike), by user: the same per-connection and
/// per-user rates and slow-mode clock a hub connection draws on, so a program is held to what a person is.
/// A user idle for longer than any budget remembers is forgotten, so the map holds the recently active only.
/// </summary>
public sealed class ApiSenders(IOptions<ChatOptions> options, TimeProvider time)
{
    /// <summary>Longer than a bucket takes to refill and than the longest slow mode (an hour): forgetting changes nothing.</summary>
    private static readonly TimeSpan IdleAfter = TimeSpan.FromHours(2);

    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);

    private readonly ChatOptions _options = options.Value;
    private readonly TimeProvider _time = time;
    private readonly ConcurrentDictionary<string, Budget> _users = new(StringComparer.Ordinal);
    private long _lastSweep = time.GetTimestamp();

    public ISender For(ChatIdentity identity)
    {
        var now = _time.GetTimestamp();
        Sweep(now);
        var budget = _users.GetOrAdd(identity.UserId, static (_, self) => self.NewBudget(), this);
        Interlocked.Exchange(ref budget.LastUsed, now);
        return new ProgramSender(identity, budget.Rate, budget.User);
    }

    private Budget NewBudget() => new(
        new TokenBucket(_options.MessagesPerSecond, _options.Burst, _time),
        new UserBudget(new TokenBucket(_options.UserMessagesPerSecond, _options.UserBurst, _time)));

    private void Sweep(long now)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (_time.GetElapsedTime(last, now) < SweepEvery || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        foreach (var entry in _users)
        {
            if (_time.GetElapsedTime(Interlocked.Read(ref entry.Value.LastUsed), now) > IdleAfter)
            {
                _users.TryRemove(entry);
            }
        }
    }

    private sealed class Budget(TokenBucket rate, UserBudget user)
    {
        /// <summary>A <see cref="TimeProvider"/> timestamp; a field so it can be swapped atomically.</summary>
        public long LastUsed;

        public TokenBucket Rate { get; } = rate;

        public UserBudget User { get; } = user;
    }
}
