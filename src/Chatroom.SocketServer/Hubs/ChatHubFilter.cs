using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace Chatroom.SocketServer.Hubs;

/// <summary>Turns refusals into <see cref="HubException"/>s (<c>code: sentence</c>) and counts them.</summary>
internal sealed partial class ChatHubFilter(ChatMetrics metrics, ILogger<ChatHubFilter> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (ChatException refusal)
        {
            metrics.Refused(refusal.Code);
            if (refusal.Code == ErrorCodes.StorageFull)
            {
                // Unlike other refusals this one is the operator's to fix.
                LogStorageFull(logger, refusal, invocationContext.HubMethodName);
            }

            throw new HubException(refusal.WireMessage);
        }
        catch (BackendUnavailableException e)
        {
            metrics.Refused(ErrorCodes.BackendUnavailable);
            LogBackendUnavailable(logger, e, invocationContext.HubMethodName);
            throw new HubException($"{ErrorCodes.BackendUnavailable}: storage is unavailable; nothing was stored, try again shortly");
        }
        catch (Exception e) when (e is not HubException and not OperationCanceledException)
        {
            // SignalR's own invocation log is turned down (refusals are expected, not errors), so real failures are logged here.
            LogInvocationFailed(logger, e, invocationContext.HubMethodName);
            throw;
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Hub method {Method} refused: the backend is unavailable")]
    private static partial void LogBackendUnavailable(ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Warning, Message = "Hub method {Method} refused: the data folder's disk is full")]
    private static partial void LogStorageFull(ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Hub method {Method} failed")]
    private static partial void LogInvocationFailed(ILogger logger, Exception exception, string method);
}
