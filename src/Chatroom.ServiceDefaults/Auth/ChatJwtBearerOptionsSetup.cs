using System.Security.Claims;
using Chatroom.Core.Auth;
using Chatroom.Core.Errors;
using Chatroom.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Chatroom.ServiceDefaults.Auth;

/// <summary>
/// JwtBearer for Chatroom: the API's HS256 tokens (<see cref="ChatTokens.ValidationParameters"/>), optionally an external
/// OpenID Connect issuer's, the <c>access_token</c> query where browsers cannot send headers, and problem+json refusals.
/// </summary>
internal sealed class ChatJwtBearerOptionsSetup(IOptions<AuthOptions> auth, ChatTokens tokens) : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name == JwtBearerDefaults.AuthenticationScheme)
        {
            Configure(options);
        }
    }

    public void Configure(JwtBearerOptions options)
    {
        // Claims keep their JWT names (sub, name, role) instead of being renamed to WS-* URIs.
        options.MapInboundClaims = false;
        // Nothing reads the raw token back (GetTokenAsync), and a hub connection would keep it for its lifetime.
        options.SaveToken = false;
        var parameters = tokens.ValidationParameters();
        var external = auth.Value;
        // A rotated-out key keeps validating the tokens it signed (they expire within TokenLifetime), so rotating the
        // signing key signs nobody out. The current key (IssuerSigningKey) is tried beside these; only it signs.
        parameters.IssuerSigningKeys = [.. external.DecodePreviousKeys().Select(k => new SymmetricSecurityKey(k))];
        if (!string.IsNullOrWhiteSpace(external.Authority))
        {
            // JwtBearer adds the issuer and signing keys from the authority's discovery document to these; the API's
            // own tokens stay valid so guests can still sign in. External keys are asymmetric, so any algorithm the
            // keys support is allowed; alg "none" still fails because every token must be signed.
            options.Authority = external.Authority;
            options.RequireHttpsMetadata = external.RequireHttpsMetadata;
            parameters.ValidAudiences = [ChatTokens.Audience, external.Audience!];
            parameters.ValidAudience = null;
            parameters.ValidAlgorithms = null;
        }

        options.TokenValidationParameters = parameters;
        options.Events = new JwtBearerEvents
        {
            OnMessageReceived = async context =>
            {
                if (string.IsNullOrEmpty(context.Token) && AcceptsQueryToken(context.Request.Path) &&
                    context.Request.Query.TryGetValue("access_token", out var token))
                {
                    context.Token = token.ToString();
                }

                // A bot's own token on REST or MCP stands for the access token it would be exchanged for, so every
                // check of that token (stamp, scopes, rooms) applies; a wrong one falls through and is refused as invalid.
                if (string.IsNullOrEmpty(context.Token) && AcceptsBotToken(context.Request.Path) &&
                    context.Request.Headers.Authorization.ToString() is { } header &&
                    header.StartsWith("Bearer " + IBotTokenExchange.Prefix, StringComparison.Ordinal) &&
                    context.HttpContext.RequestServices.GetService(typeof(IBotTokenExchange)) is IBotTokenExchange bots &&
                    await bots.AccessTokenAsync(header["Bearer ".Length..].Trim(), context.HttpContext.RequestAborted) is { } access)
                {
                    context.Token = access;
                }
            },
            OnTokenValidated = context =>
            {
                // A hub connection keeps its principal for as long as it is open. The validated one holds every claim of
                // the token, their property bags and the parsed token itself (≈ 4 KB); a connection needs who it is.
                if (context.Request.Path.StartsWithSegments("/hubs") && ChatClaims.ToIdentity(context.Principal?.Identity as ClaimsIdentity, DateTime.MinValue) is { } who)
                {
                    List<Claim> claims = [new Claim(ChatClaims.Subject, who.UserId), new Claim(ChatClaims.Name, who.Name), new Claim(ChatClaims.Role, who.Role)];

                    // An account's security stamp too: a socket server refuses a token whose account was signed out everywhere.
                    if (context.Principal!.FindFirst(ChatClaims.SecurityStamp) is { } stamp)
                    {
                        claims.Add(new Claim(ChatClaims.SecurityStamp, stamp.Value));
                    }

                    // A minor waiting for a guardian's consent: the hub refuses their sends from this claim alone.
                    if (context.Principal!.FindFirst(ChatClaims.GuardianConsent) is { } held)
                    {
                        claims.Add(new Claim(ChatClaims.GuardianConsent, held.Value));
                    }

                    // A bot's scopes and rooms: the hub checks them on every send.
                    if (who.Bot is { } bot)
                    {
                        claims.AddRange(bot.ToClaims().Select(c => new Claim(c.Key, (string)c.Value)));
                    }

                    context.Principal = new ClaimsPrincipal(new ClaimsIdentity(claims, context.Scheme.Name, ChatClaims.Name, ChatClaims.Role));
                }

                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                // The standard WWW-Authenticate header (with error="invalid_token" when one was sent), and our problem body.
                context.HandleResponse();
                context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
                await ChatProblems.WriteAsync(context.HttpContext, ErrorCodes.Unauthorized, "a valid bearer token is required; sign in first");
            },
            OnForbidden = context => ChatProblems.WriteAsync(context.HttpContext, ErrorCodes.Forbidden, "this needs the admin role"),
        };
    }

    /// <summary>Where programs post and read: REST and MCP (the hub keeps the access-token exchange).</summary>
    private static bool AcceptsBotToken(PathString path) => path.StartsWithSegments("/api") || path.StartsWithSegments("/mcp");

    /// <summary>Where browsers cannot send headers: the hub's WebSockets and server-sent event streams (EventSource).</summary>
    private static bool AcceptsQueryToken(PathString path) =>
        path.StartsWithSegments("/hubs") || (path.StartsWithSegments("/api/agents") && path.Value!.EndsWith("/events", StringComparison.Ordinal));
}
