using System.Security.Claims;
using Chatroom.Accounts.Bots;
using Chatroom.Accounts.Data;
using Chatroom.Core.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Chatroom.Accounts.Tokens;

/// <summary>
/// Where the accounts store is at hand, an account's token is checked against it on every request: it fails once the
/// account is gone, disabled or banned, its security stamp changed (sign-out everywhere, password reset) or its session
/// was revoked — at once, not at expiry; a bot's, once the bot is deleted or its token rotated. Guest tokens carry no
/// stamp and pass as before.
/// </summary>
internal sealed class AccountTokenValidation : IPostConfigureOptions<JwtBearerOptions>
{
    public void PostConfigure(string? name, JwtBearerOptions options)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
        {
            return;
        }

        options.Events ??= new JwtBearerEvents();
        var next = options.Events.OnTokenValidated;
        options.Events.OnTokenValidated = async context =>
        {
            // Before the next handler, which may slim the principal of a hub connection down to who it is.
            if (context.Principal?.Identity is ClaimsIdentity identity && identity.FindFirst(ChatClaims.SecurityStamp)?.Value is { } stamp)
            {
                var userId = identity.FindFirst(ChatClaims.Subject)?.Value;
                var services = context.HttpContext.RequestServices;

                // A bot's stamp is its bot row's: it changes when the token is rotated, and the row goes when the bot is deleted.
                var reason = identity.FindFirst(ChatClaims.Role)?.Value == ChatRoles.Bot
                    ? (userId is not null && await services.GetRequiredService<BotService>().IsCurrentAsync(userId, stamp, context.HttpContext.RequestAborted)
                        ? null : "the bot was deleted or its token rotated")
                    : await CheckAsync(services, userId, stamp, identity.FindFirst(ChatClaims.SessionId)?.Value, context.HttpContext.RequestAborted);
                if (reason is not null)
                {
                    context.Fail(reason);
                    return;
                }
            }

            await next(context);
        };
    }

    private static async Task<string?> CheckAsync(IServiceProvider services, string? userId, string stamp, string? sessionId, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<AccountsDb>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var account = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new
            {
                u.SecurityStamp,
                u.DisabledAtUtc,
                u.BannedUntilUtc,
                SessionLive = sessionId == null || db.RefreshTokens.Any(t => t.FamilyId == sessionId && t.RevokedAtUtc == null),
            })
            .FirstOrDefaultAsync(cancellationToken);
        return account switch
        {
            null => "the account no longer exists",
            { DisabledAtUtc: not null } => "the account is disabled",
            { BannedUntilUtc: { } until } when until > now => "the account is banned",
            _ when account.SecurityStamp != stamp => "the account signed out everywhere or changed its password",
            { SessionLive: false } => "the session was signed out",
            _ => null,
        };
    }
}
