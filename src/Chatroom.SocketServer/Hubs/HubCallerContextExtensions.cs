using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Chatroom.SocketServer.Hubs;

/// <summary>Ending a hub connection from the server with a reason the client shows.</summary>
internal static class HubCallerContextExtensions
{
    /// <summary>Sends a close message with the reason and no invitation to reconnect, then drops the connection.</summary>
    public static async Task CloseWithoutReconnectAsync(this HubCallerContext caller, string reason)
    {
        if (caller.Items.TryGetValue(typeof(HubConnectionContext), out var found) && found is HubConnectionContext connection)
        {
            try
            {
                await connection.WriteAsync(new CloseMessage(reason, allowReconnect: false), CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException)
            {
                // Already going; the abort below is all that is left to do.
            }
        }

        caller.Abort();
    }
}
