using Chatroom.Analysis;
using Chatroom.Api;
using Chatroom.Core.Auth;
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

        // The quick start is one command, and its admin signs in to the console with the generated password: staff second
        // factors stay optional here unless configured (Chatroom:Auth:StaffRequireTwoFactor=true for a real deployment).
        if (builder.Configuration[$"{AuthOptions.Section}:{nameof(AuthOptions.StaffRequireTwoFactor)}"] is null)
        {
            builder.Configuration.AddInMemoryCollection([new($"{AuthOptions.Section}:{nameof(AuthOptions.StaffRequireTwoFactor)}", "false")]);
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
