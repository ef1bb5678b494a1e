using Chatroom.Analysis;
using Chatroom.Api;
using Chatroom.ServiceDefaults;
using Chatroom.SocketServer;
using Chatroom.Web;

namespace Chatroom.Standalone;

public static class ChatroomStandaloneExtensions
{
    /// <summary>Every service in one process on the embedded backends (or Redis, when configured).</summary>
    public static IHostApplicationBuilder AddChatroomStandalone(this IHostApplicationBuilder builder)
    {
        if (StandaloneSecrets.Apply(builder) is { } passwordFile)
        {
            builder.Services.AddHostedService(sp => new StandaloneSecrets.AnnouncePassword(
                passwordFile, sp.GetRequiredService<ILogger<StandaloneSecrets.AnnouncePassword>>()));
        }

        builder.AddServiceDefaults();
        builder.AddChatApi();
        builder.AddChatSockets();
        builder.AddChatAnalysis();
        builder.AddChatWeb();
        return builder;
    }

    public static WebApplication MapChatroomStandalone(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.MapChatApi();
        app.MapChatSockets();
        app.MapChatAnalysis();
        app.MapChatWeb();
        return app;
    }
}
