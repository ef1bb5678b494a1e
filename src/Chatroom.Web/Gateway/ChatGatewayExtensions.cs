using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace Chatroom.Web.Gateway;

/// <summary>The one-origin gateway: YARP routes with destinations found by service discovery.</summary>
public static class ChatGatewayExtensions
{
    /// <summary>Analysis owns these <c>/api</c> areas; the rest of <c>/api</c>, <c>/mcp</c> and <c>/hooks</c> belong to the API.</summary>
    internal static readonly string[] AnalysisAreas = ["analysis", "knowledge", "discussions"];

    public static IHostApplicationBuilder AddChatGateway(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChatGatewayOptions>()
            .Bind(builder.Configuration.GetSection(ChatGatewayOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var options = builder.Configuration.GetSection(ChatGatewayOptions.SectionName).Get<ChatGatewayOptions>() ?? new ChatGatewayOptions();
        if (options.Enabled)
        {
            builder.Services.AddServiceDiscovery();
            builder.Services.AddReverseProxy()
                .LoadFromMemory(Routes(), Clusters(options))
                .AddServiceDiscoveryDestinationResolver();
        }

        return builder;
    }

    public static WebApplication MapChatGateway(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ChatGatewayOptions>>().Value.Enabled)
        {
            // A proxied WebSocket is an upgraded request that lasts as long as the chat session: on SIGTERM Kestrel
            // waited for every one until HostOptions.ShutdownTimeout (30 s measured with one browser tab open, issue 25).
            // They are cut when the host starts stopping; the SignalR client reconnects, through another replica.
            var stopping = app.Lifetime.ApplicationStopping;
            app.Use(async (context, next) =>
            {
                // Upgrade (HTTP/1.1) or extended CONNECT (HTTP/2): YARP tunnels both without the WebSockets
                // middleware, so IsWebSocketRequest (set by that middleware) would say no.
                if (context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest != true &&
                    context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect != true)
                {
                    await next(context);
                    return;
                }

                using var cut = stopping.Register(static state => ((HttpContext)state!).Abort(), context);
                await next(context);
            });
            app.MapReverseProxy();
        }

        return app;
    }

    internal static IReadOnlyList<RouteConfig> Routes() =>
    [
        .. AnalysisAreas.Select(area => Route($"analysis-{area}", "analysis", $"/api/{area}/{{**rest}}")),
        Route("api", "api", "/api/{**rest}"),
        Route("mcp", "api", "/mcp/{**rest}"),

        // Incoming webhooks: other programs post into one room through a URL that carries its secret.
        Route("hooks", "api", "/hooks/{**rest}"),

        // The MCP endpoint's OAuth protected-resource metadata (RFC 9728), which MCP clients look up before signing in.
        Route("mcp-metadata", "api", "/.well-known/oauth-protected-resource/{**rest}"),
        Route("hubs", "socketserver", "/hubs/{**rest}"),
    ];

    private static RouteConfig Route(string id, string cluster, string path) =>
        new() { RouteId = id, ClusterId = cluster, Match = new RouteMatch { Path = path } };

    private static IReadOnlyList<ClusterConfig> Clusters(ChatGatewayOptions options) =>
    [
        Cluster("api", options.Api),
        Cluster("socketserver", options.SocketServer),
        Cluster("analysis", options.Analysis),
    ];

    private static ClusterConfig Cluster(string id, string address) => new()
    {
        ClusterId = id,
        Destinations = new Dictionary<string, DestinationConfig> { [id] = new() { Address = address } },
    };
}
