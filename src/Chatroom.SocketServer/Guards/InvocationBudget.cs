using Chatroom.Core.Chat;

namespace Chatroom.SocketServer.Guards;

/// <summary>
/// One connection's budget of hub invocations, every method counted: a token bucket for what is accepted, and a
/// second one for refusals, so a client that keeps calling while refused is closed once it has piled up
/// <see cref="SocketOptions.RefusalsBeforeClose"/> refusals beyond the sustained rate.
/// </summary>
internal sealed class InvocationBudget(SocketOptions options, TimeProvider time)
{
    private readonly TokenBucket _accepted = new(options.InvocationsPerSecond, options.InvocationBurst, time);
    private readonly TokenBucket _refusals = new(options.InvocationsPerSecond, options.RefusalsBeforeClose, time);
    private int _closing;

    /// <summary>Accepts an invocation, or says how long to wait and whether the connection has flooded past the point of closing.</summary>
    public bool TryTake(out TimeSpan retryAfter, out bool flooding)
    {
        flooding = false;
        if (_accepted.TryTake(out retryAfter))
        {
            return true;
        }

        flooding = !_refusals.TryTake(out _);
        return false;
    }

    /// <summary>True the first time only: calls already queued behind the one that closed the connection close nothing more.</summary>
    public bool TryStartClosing() => Interlocked.Exchange(ref _closing, 1) == 0;
}
