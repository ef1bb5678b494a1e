using System.Security.Cryptography;
using System.Text;
using Chatroom.Core.Auth;
using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Chatroom.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Chatroom.Api.Auth;

public static class AuthApi
{
    public const string RateLimitPolicy = "auth";

    private static readonly string[] ReservedNames = ["system", "admin", "administrator", "moderator", "assistant", "concierge", "broadcast"];

    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Auth").AllowAnonymous().RequireRateLimiting(RateLimitPolicy);
        group.MapPost("/guest", SignInGuest).WithName("SignInGuest").WithSummary("Signs in a guest with a display name.");
        group.MapPost("/admin", SignInAdmin).WithName("SignInAdmin").WithSummary("Signs in the admin with the configured password.");
        return group;
    }

    internal static Results<Ok<TokenResponse>, ProblemHttpResult> SignInGuest(
        GuestSignIn request, ChatTokens tokens, IOptions<ChatOptions> chat, IOptions<AuthOptions> auth, TimeProvider time)
    {
        var name = request.Name?.Trim();
        var max = chat.Value.MaxNameLength;
        if (string.IsNullOrEmpty(name) || ChatService.CountCharacters(name) > max || name.Any(char.IsControl))
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidName, $"names are 1-{max} characters without control characters");
        }

        if (ReservedNames.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidName, $"'{name}' is reserved; pick another name");
        }

        var identity = new ChatIdentity("u_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), name, ChatRoles.Guest,
            time.GetUtcNow() + auth.Value.TokenLifetime);
        return TypedResults.Ok(Issue(tokens, identity));
    }

    internal static Results<Ok<TokenResponse>, ProblemHttpResult> SignInAdmin(
        AdminSignIn request, ChatTokens tokens, IOptions<AdminOptions> admin, IOptions<AuthOptions> auth, TimeProvider time)
    {
        var expected = admin.Value.Password;
        if (string.IsNullOrEmpty(expected))
        {
            return ChatProblems.Refusal(ErrorCodes.AdminDisabled, "admin sign-in is off: no Chatroom:Admin:Password is configured");
        }

        var given = Encoding.UTF8.GetBytes(request.Password ?? string.Empty);
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(given), SHA256.HashData(Encoding.UTF8.GetBytes(expected))))
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidPassword, "the admin password is wrong");
        }

        var identity = new ChatIdentity("admin", "admin", ChatRoles.Admin, time.GetUtcNow() + auth.Value.TokenLifetime);
        return TypedResults.Ok(Issue(tokens, identity));
    }

    private static TokenResponse Issue(ChatTokens tokens, ChatIdentity identity) =>
        new(tokens.Issue(identity), new UserInfo(identity.UserId, identity.Name, identity.Role), identity.ExpiresAt);
}
