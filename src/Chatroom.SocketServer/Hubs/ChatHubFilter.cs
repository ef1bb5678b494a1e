using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Microsoft.AspNetCore.SignalR;

namespace Chatroom.SocketServer.Hubs;

/// <summary>Turns refusals into <see cref="HubException"/>s (<c>code: sentence</c>) and counts them.</summary>
internal sealed class ChatHubFilter(ChatMetrics metrics) : IHubFilter
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
            throw new HubException(refusal.WireMessage);
        }
        catch (BackendUnavailableException)
        {
            metrics.Refused(ErrorCodes.BackendUnavailable);
            throw new HubException($"{ErrorCodes.BackendUnavailable}: storage is unavailable; nothing was stored, try again shortly");
        }
    }
}
