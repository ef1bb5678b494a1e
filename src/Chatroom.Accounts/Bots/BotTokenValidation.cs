using System.Security.Claims;
using Chatroom.Core.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Chatroom.Accounts.Bots;

/// <summary>
/// A bot's access token is checked against its row on every request where the accounts store is at hand: it fails once
/// the bot is deleted or its token rotated, at once rather than at expiry. (Socket servers refuse it by its revoked
/// stamp, which <see cref="BotService"/> announces on the bus.)
/// </summary>
internal sealed class BotTokenValidation : IPostConfigureOptions<JwtBearerOptions>
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
            if (context.Principal?.Identity is ClaimsIdentity identity && identity.FindFirst(ChatClaims.Role)?.Value == ChatRoles.Bot)
            {
                var stamp = identity.FindFirst(ChatClaims.SecurityStamp)?.Value;
                var userId = identity.FindFirst(ChatClaims.Subject)?.Value;
                var bots = context.HttpContext.RequestServices.GetRequiredService<BotService>();
                if (stamp is null || userId is null || !await bots.IsCurrentAsync(userId, stamp, context.HttpContext.RequestAborted))
                {
                    context.Fail("the bot was deleted or its token rotated");
                    return;
                }
            }

            await next(context);
        };
    }
}
