using Chatroom.Backends;
using Chatroom.Core.Chat;
using Chatroom.SocketServer.Fanout;
using Chatroom.SocketServer.Guards;
using Chatroom.SocketServer.Hubs;
using Chatroom.SocketServer.Presence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chatroom.SocketServer;

public static class ChatSocketsExtensions
{
    /// <summary>The hub, its fan-out relay and presence heartbeat, on the configured backends.</summary>
    public static IHostApplicationBuilder AddChatSockets(this IHostApplicationBuilder builder)
    {
        builder.AddChatCore();
        // The node is named as the process's telemetry is (Aspire's replica name when there is one), unless configured.
        builder.Services.AddOptions<SocketOptions>()
            .Configure(o => o.NodeId = Chatroom.ServiceDefaults.Telemetry.ServiceInstance.Name(builder.Configuration))
            .Bind(builder.Configuration.GetSection(SocketOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ConnectionRegistry>();
        builder.Services.AddSingleton<RoomRelay>();
        builder.Services.AddHostedService<PresenceHeartbeat>();
        builder.Services.AddSingleton<AccountClosures>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AccountClosures>());
        builder.Services.AddHostedService<MembershipRevocations>();
        builder.Services.AddSingleton<ChatHubFilter>();

        // The dispatcher logs every HubException at error level with a stack trace; a refusal (rate limit, mute) is
        // an expected answer, and ChatHubFilter logs what is really unexpected.
        builder.Logging.AddFilter("Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher", LogLevel.Critical);
        builder.Services.AddSignalR(o => o.AddFilter<ChatHubFilter>())
            .AddJsonProtocol(o => o.PayloadSerializerOptions = new System.Text.Json.JsonSerializerOptions(ChatJson.Options));

        // The JSON protocol, guarded: refusals with stable codes for what SignalR would otherwise answer by itself.
        builder.Services.RemoveAll<IHubProtocol>();
        builder.Services.AddSingleton<IHubProtocol>(sp => new GuardedHubProtocol(
            ActivatorUtilities.CreateInstance<JsonHubProtocol>(sp), sp.GetRequiredService<IOptions<SocketOptions>>()));
        builder.Services.AddSingleton<HubLifetimeManager<ChatHub>, ChatHubLifetimeManager>();
        builder.Services.AddSingleton<ConnectionsPerAddress>();
        builder.Services.AddOptions<HubOptions>().Configure<IOptions<SocketOptions>>((hub, sockets) =>
        {
            hub.MaximumReceiveMessageSize = sockets.Value.MaxReceiveMessageBytes;
            hub.HandshakeTimeout = sockets.Value.HandshakeTimeout;
            // One invocation at a time per connection (SignalR's default, said out loud): a client cannot make the
            // server work on many of its calls at once, and the invocation budget counts them in order.
            hub.MaximumParallelInvocationsPerClient = 1;
        });
        return builder;
    }

    public static WebApplication MapChatSockets(this WebApplication app)
    {
        var perAddress = app.Services.GetRequiredService<ConnectionsPerAddress>();
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/hubs"), hubs => hubs.Use(perAddress.InvokeAsync));
        app.MapHub<ChatHub>("/hubs/chat");
        return app;
    }
}
