using System.Security.Claims;
using Chatroom.Core.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Chatroom.ServiceDefaults.Auth;

public static class ChatAuthExtensions
{
    public const string AdminPolicy = "admin";

    /// <summary>
    /// JWT bearer authentication (JwtBearer) for the API's tokens signed with the shared key, and, when
    /// <c>Chatroom:Auth:Authority</c> is set, for an external OpenID Connect issuer's; token issuing for the API;
    /// the admin policy.
    /// </summary>
    public static IHostApplicationBuilder AddChatAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .Bind(builder.Configuration.GetSection(AuthOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => TryDecode(o.SigningKey), "Chatroom:Auth:SigningKey must be base64 of at least 32 bytes.")
            .Validate(o => o.PreviousSigningKeys.All(k => string.IsNullOrWhiteSpace(k) || TryDecode(k)),
                "Chatroom:Auth:PreviousSigningKeys must each be base64 of at least 32 bytes.")
            .Validate(o => string.IsNullOrWhiteSpace(o.Authority) || !string.IsNullOrWhiteSpace(o.Audience),
                "Chatroom:Auth:Audience is required when Chatroom:Auth:Authority is set.")
            .Validate(o => string.IsNullOrWhiteSpace(o.Authority) || Uri.TryCreate(o.Authority, UriKind.Absolute, out _),
                "Chatroom:Auth:Authority must be an absolute URL.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new ChatTokens(sp.GetRequiredService<IOptions<AuthOptions>>().Value.DecodeKey()));
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ChatJwtBearerOptionsSetup>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.RequireRole(ChatRoles.Admin));
        return builder;
    }

    /// <summary>The identity behind an authenticated request or hub connection.</summary>
    public static ChatIdentity? ToChatIdentity(this ClaimsPrincipal? principal) =>
        principal?.Identity is ClaimsIdentity { IsAuthenticated: true } identity
            ? ChatClaims.ToIdentity(identity, DateTime.MinValue)
            : null;

    private static bool TryDecode(string? key)
    {
        Span<byte> buffer = stackalloc byte[1024];
        return key is not null && Convert.TryFromBase64String(key, buffer, out var written) && written >= 32;
    }
}
