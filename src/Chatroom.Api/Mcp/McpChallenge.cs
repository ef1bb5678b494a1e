using Chatroom.Core.Errors;
using Chatroom.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore.Authentication;

namespace Chatroom.Api.Mcp;

/// <summary>
/// A request to <c>/mcp</c> without a valid token is challenged by the MCP scheme: 401 with
/// <c>WWW-Authenticate: Bearer resource_metadata="…/.well-known/oauth-protected-resource/mcp"</c>, the discovery step
/// of the MCP authorization spec, still with our problem+json body. Every other route keeps JwtBearer's challenge.
/// </summary>
internal sealed class McpChallenge : IPostConfigureOptions<JwtBearerOptions>
{
    public void PostConfigure(string? name, JwtBearerOptions options)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
        {
            return;
        }

        var next = options.Events.OnChallenge;
        options.Events.OnChallenge = async context =>
        {
            if (!context.Request.Path.StartsWithSegments(ChatMcpExtensions.Path))
            {
                await next(context);
                return;
            }

            context.HandleResponse();
            await context.HttpContext.ChallengeAsync(McpAuthenticationDefaults.AuthenticationScheme);
            await ChatProblems.WriteAsync(context.HttpContext, ErrorCodes.Unauthorized, "a valid bearer token is required; sign in first");
        };
    }
}
