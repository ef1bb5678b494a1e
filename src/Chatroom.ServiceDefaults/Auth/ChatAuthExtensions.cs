using System.Security.Claims;
using Chatroom.Core.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Chatroom.ServiceDefaults.Auth;

public static class ChatAuthExtensions
{
    public const string AdminPolicy = "admin";

    /// <summary>Token validation (and issuing, for the API) with the shared signing key, plus the admin policy.</summary>
    public static IHostApplicationBuilder AddChatAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .Bind(builder.Configuration.GetSection(AuthOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => TryDecode(o.SigningKey), "Chatroom:Auth:SigningKey must be base64 of at least 32 bytes.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new ChatTokens(sp.GetRequiredService<IOptions<AuthOptions>>().Value.DecodeKey()));
        builder.Services.AddAuthentication(ChatAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ChatAuthenticationHandler>(ChatAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.RequireRole(ChatRoles.Admin));
        return builder;
    }

    /// <summary>The identity behind an authenticated request or hub connection.</summary>
    public static ChatIdentity? ToChatIdentity(this ClaimsPrincipal? principal)
    {
        var id = principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var name = principal?.FindFirstValue(ClaimTypes.Name);
        return id is null || name is null
            ? null
            : new ChatIdentity(id, name, principal!.FindFirstValue(ClaimTypes.Role) ?? ChatRoles.Guest, DateTimeOffset.MaxValue);
    }

    private static bool TryDecode(string? key)
    {
        Span<byte> buffer = stackalloc byte[1024];
        return key is not null && Convert.TryFromBase64String(key, buffer, out var written) && written >= 32;
    }
}
