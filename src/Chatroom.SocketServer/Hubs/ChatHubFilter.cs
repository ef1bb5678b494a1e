using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Chatroom.SocketServer.Guards;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chatroom.SocketServer.Hubs;

/// <summary>
/// Limits every connection's invocations (any method), turns refusals into <see cref="HubException"/>s
/// (<c>code: sentence</c>) and counts them; closes a connection that keeps flooding while refused.
/// </summary>
internal sealed partial class ChatHubFilter(ChatMetrics metrics, IOptions<SocketOptions> options, TimeProvider time, ILogger<ChatHubFilter> logger) : IHubFilter
{
    private static readonly TimeSpan OutageLogInterval = TimeSpan.FromSeconds(10);

    /// <summary>When the last outage warning was written (a <see cref="TimeProvider"/> timestamp; 0: never).</summary>
    private long _lastOutageLog;

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        context.Context.Items[typeof(InvocationBudget)] = new InvocationBudget(options.Value, time);
        return next(context);
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var caller = invocationContext.Context;
        if (caller.Items.TryGetValue(typeof(InvocationBudget), out var found) && found is InvocationBudget budget
            && !budget.TryTake(out var retryAfter, out var flooding))
        {
            metrics.Refused(ErrorCodes.RateLimited);
            if (flooding && budget.TryStartClosing())
            {
                await CloseAsync(caller, $"{ErrorCodes.RateLimited}: more than {options.Value.InvocationsPerSecond:0.#} calls per second kept coming after refusals; the connection is closed");
            }

            throw new HubException($"{ErrorCodes.RateLimited}: too many calls on this connection; wait {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} s");
        }

        try
        {
            return await next(invocationContext);
        }
        catch (Exception e) when (Refusals.From(e) is { } refusal)
        {
            metrics.Refused(refusal.Code);
            if (refusal.Code == ErrorCodes.StorageFull)
            {
                // Unlike other refusals this one is the operator's to fix.
                LogStorageFull(logger, refusal, invocationContext.HubMethodName);
            }
            else if (e is BackendUnavailableException && ShouldLogOutage())
            {
                LogBackendUnavailable(logger, e, invocationContext.HubMethodName);
            }

            throw new HubException(refusal.WireMessage);
        }
        catch (Exception e) when (e is not HubException and not OperationCanceledException)
        {
            // SignalR's own invocation log is turned down (refusals are expected, not errors), so real failures are logged here.
            LogInvocationFailed(logger, e, invocationContext.HubMethodName);
            throw;
        }
    }

    /// <summary>
    /// True at most once per <see cref="OutageLogInterval"/>: during an outage every send is refused, and a warning with
    /// the cause for each would flood the log while the refusal counter already says how many there were.
    /// </summary>
    private bool ShouldLogOutage()
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastOutageLog);
        return (last == 0 || time.GetElapsedTime(last, now) >= OutageLogInterval)
            && Interlocked.CompareExchange(ref _lastOutageLog, now, last) == last;
    }

    /// <summary>Logs the flood and closes the connection with the reason, no reconnect.</summary>
    private async Task CloseAsync(HubCallerContext caller, string reason)
    {
        LogFloodClosed(logger, caller.ConnectionId);
        await caller.CloseWithoutReconnectAsync(reason);
    }

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Hub connection {ConnectionId} closed: it kept flooding invocations after being refused")]
    private static partial void LogFloodClosed(ILogger logger, string connectionId);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Hub method {Method} refused: the backend is unavailable (further outage refusals in the next 10 s are counted, not logged)")]
    private static partial void LogBackendUnavailable(ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Warning, Message = "Hub method {Method} refused: the data folder's disk is full")]
    private static partial void LogStorageFull(ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Hub method {Method} failed")]
    private static partial void LogInvocationFailed(ILogger logger, Exception exception, string method);
}
