using System.Security.Cryptography;
using Chatroom.Accounts;
using Chatroom.Accounts.Names;
using Chatroom.Accounts.SignIn;
using Chatroom.Api.Accounts;
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
        group.MapPost("/admin", SignInAdmin).WithName("SignInAdmin").WithSummary("Signs in an admin account (by default `admin`) with its password: tokens, or a second-factor challenge.");
        return group;
    }

    internal static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> SignInGuest(
        GuestSignIn request, ChatTokens tokens, RegisteredNames accounts, IOptions<ChatOptions> chat, IOptions<AuthOptions> auth, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (auth.Value.Guests == AuthOptions.GuestsOff)
        {
            return ChatProblems.Refusal(ErrorCodes.GuestsDisabled, "guests cannot sign in here: sign in with an account");
        }

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

        // A guest must not pass for an account holder: the same comparison as user names (case, width, look-alikes).
        if (await accounts.IsTakenAsync(name, cancellationToken))
        {
            return ChatProblems.Refusal(ErrorCodes.UserNameTaken, $"'{name}' is the name of an account; pick another name or sign in");
        }

        var identity = new ChatIdentity("u_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), name, ChatRoles.Guest,
            time.GetUtcNow() + auth.Value.TokenLifetime);
        return TypedResults.Ok(Issue(tokens, identity));
    }

    /// <summary>The admin console's sign-in: the <c>admin</c> account (or another admin named by <c>userName</c>) and its password.</summary>
    internal static async Task<Results<Ok<AccountTokens>, Ok<TwoFactorChallenge>>> SignInAdmin(
        AdminSignIn request, AccountService accounts, HttpContext context, CancellationToken cancellationToken) =>
        await accounts.SignInAdminAsync(request.UserName, request.Password, AccountAuthApi.Client(context), cancellationToken) switch
        {
            TwoFactorChallenge challenge => TypedResults.Ok(challenge),
            var tokens => TypedResults.Ok((AccountTokens)tokens),
        };

    private static TokenResponse Issue(ChatTokens tokens, ChatIdentity identity) =>
        new(tokens.Issue(identity), new UserInfo(identity.UserId, identity.Name, identity.Role), identity.ExpiresAt);
}
