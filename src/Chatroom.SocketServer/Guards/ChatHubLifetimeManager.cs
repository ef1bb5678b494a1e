using Chatroom.SocketServer.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace Chatroom.SocketServer.Guards;

/// <summary>
/// SignalR's own lifetime manager, which also keeps each connection's <see cref="HubConnectionContext"/> in its
/// items: hub filters only see the <see cref="HubCallerContext"/>, which can abort a connection but not say why.
/// </summary>
internal sealed class ChatHubLifetimeManager(ILogger<DefaultHubLifetimeManager<ChatHub>> logger) : DefaultHubLifetimeManager<ChatHub>(logger)
{
    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        connection.Items[typeof(HubConnectionContext)] = connection;
        return base.OnConnectedAsync(connection);
    }
}
