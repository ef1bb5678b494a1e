using Chatroom.Api.Posting;
using Chatroom.Core.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.AspNetCore.Authentication;
using ModelContextProtocol.Authentication;

namespace Chatroom.Api.Mcp;

/// <summary>
/// The MCP server at <c>/mcp</c>: streamable HTTP without sessions (any API replica answers any request), the caller's
/// bearer token as on every other route, and OAuth protected-resource metadata so standard clients learn how to sign in.
/// </summary>
public static class ChatMcpExtensions
{
    public const string Path = "/mcp";

    public static IHostApplicationBuilder AddChatMcp(this IHostApplicationBuilder builder)
    {
        // JwtBearer stays the default scheme of every route; the MCP scheme only serves the metadata document and
        // writes /mcp's challenge (McpChallenge), so the rest of the API keeps its problem+json 401.
        builder.Services.AddAuthentication().AddMcp();
        builder.Services.AddOptions<McpAuthenticationOptions>(McpAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((options, auth) => options.ResourceMetadata = new ProtectedResourceMetadata
            {
                // The API issues its own tokens (sign-in routes, not OAuth); an external OpenID Connect issuer, when
                // configured, is the authorization server standard clients can go to.
                AuthorizationServers = string.IsNullOrWhiteSpace(auth.Value.Authority) ? [] : [auth.Value.Authority],
                BearerMethodsSupported = ["header"],
                ScopesSupported = [ChatCaller.PostScope],
                ResourceName = "Chatroom",
            });
        builder.Services.AddSingleton<IPostConfigureOptions<JwtBearerOptions>, McpChallenge>();
        builder.Services.AddOptions<McpSearchOptions>().Bind(builder.Configuration.GetSection(McpSearchOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<McpMeaningSearch>();
        builder.Services.AddMcpServer(options => options.ServerInfo = new() { Name = "chatroom", Version = "1.0" })
            .WithHttpTransport(options => options.SessionMode = HttpServerSessionMode.Stateless)
            .WithTools<ChatMcpTools>();
        return builder;
    }

    public static WebApplication MapChatMcp(this WebApplication app)
    {
        app.MapMcp(Path).RequireAuthorization();
        return app;
    }
}
