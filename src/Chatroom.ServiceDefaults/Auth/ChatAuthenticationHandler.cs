using System.Security.Claims;
using System.Text.Encodings.Web;
using Chatroom.Core.Auth;
using Chatroom.Core.Errors;
using Chatroom.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chatroom.ServiceDefaults.Auth;

/// <summary>
/// Validates the signed bearer tokens the API issues: <c>Authorization: Bearer</c>, or the
/// <c>access_token</c> query parameter on hub requests (browsers cannot set headers on WebSockets).
/// </summary>
public sealed class ChatAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ChatTokens tokens,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ChatBearer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token = null;
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = header["Bearer ".Length..].Trim();
        }
        else if (AcceptsQueryToken(Request.Path) && Request.Query.TryGetValue("access_token", out var query))
        {
            token = query.ToString();
        }

        if (string.IsNullOrEmpty(token))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var identity = tokens.Validate(token, time.GetUtcNow());
        if (identity is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("invalid or expired token"));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, identity.UserId),
            new Claim(ClaimTypes.Name, identity.Name),
            new Claim(ClaimTypes.Role, identity.Role),
        ], SchemeName, ClaimTypes.Name, ClaimTypes.Role));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    /// <summary>Where browsers cannot send headers: the hub's WebSockets and server-sent event streams (EventSource).</summary>
    private static bool AcceptsQueryToken(PathString path) =>
        path.StartsWithSegments("/hubs") || (path.StartsWithSegments("/api/agents") && path.Value!.EndsWith("/events", StringComparison.Ordinal));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ChatProblems.WriteAsync(Context, ErrorCodes.Unauthorized, "a valid bearer token is required; sign in first");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ChatProblems.WriteAsync(Context, ErrorCodes.Forbidden, "this needs the admin role");
}
