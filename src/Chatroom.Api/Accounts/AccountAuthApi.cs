using Chatroom.Accounts;
using Chatroom.Accounts.Passkeys;
using Chatroom.Accounts.SignIn;
using Chatroom.Accounts.Tokens;
using Chatroom.Api.Auth;
using Chatroom.Core.Auth;
using Chatroom.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatroom.Api.Accounts;

/// <summary>Sign-up and sign-in of accounts under <c>/api/auth</c>; refusals are <c>ChatException</c>s, written as problem+json.</summary>
public static class AccountAuthApi
{
    public const string SignUpRateLimitPolicy = "signup";

    public static RouteGroupBuilder MapAccountAuthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Accounts").RequireRateLimiting(AuthApi.RateLimitPolicy);
        group.MapPost("/register", RegisterAsync).AllowAnonymous().RequireRateLimiting(SignUpRateLimitPolicy)
            .WithName("Register").WithSummary("Creates an account and sends the confirmation email.");
        group.MapPost("/confirm-email", ConfirmEmailAsync).AllowAnonymous()
            .WithName("ConfirmEmail").WithSummary("Confirms the email address with the link's user id and token.");
        group.MapPost("/login", LoginAsync).AllowAnonymous()
            .WithName("Login").WithSummary("Signs in with user name (or email) and password: tokens, or a second-factor challenge.");
        group.MapPost("/login/2fa", LoginSecondFactorAsync).AllowAnonymous()
            .WithName("LoginSecondFactor").WithSummary("Completes a sign-in with a TOTP code or a recovery code.");
        group.MapPost("/passkey/options", PasskeyOptionsAsync).AllowAnonymous()
            .WithName("PasskeyRequestOptions").WithSummary("WebAuthn request options for signing in with a passkey, and the state to send back.");
        group.MapPost("/passkey/login", PasskeyLoginAsync).AllowAnonymous()
            .WithName("PasskeyLogin").WithSummary("Signs in with a passkey's assertion (two factors in one step): tokens.");
        group.MapPost("/refresh", RefreshAsync).AllowAnonymous()
            .WithName("Refresh").WithSummary("Spends a refresh token for a new access and refresh token.");
        group.MapPost("/logout", LogoutAsync).RequireAuthorization()
            .WithName("Logout").WithSummary("Signs out this session, or every session of the account.");
        group.MapPost("/forgot-password", ForgotPasswordAsync).AllowAnonymous()
            .WithName("ForgotPassword").WithSummary("Sends a password reset link if the address belongs to an account.");
        group.MapPost("/reset-password", ResetPasswordAsync).AllowAnonymous()
            .WithName("ResetPassword").WithSummary("Sets a new password with the link's user id and token; signs out everywhere.");
        return group;
    }

    internal static ClientInfo Client(HttpContext context) =>
        new(context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null,
            context.Connection.LocalPort);

    private static async Task<Accepted<Accepted>> RegisterAsync(RegisterRequest request, AccountService accounts, HttpContext context, CancellationToken cancellationToken)
    {
        await accounts.RegisterAsync(request.UserName, request.DisplayName, request.Email, request.Password, request.DateOfBirth, Client(context), cancellationToken);
        return TypedResults.Accepted((string?)null, new Accepted("check your email for a link to confirm the address"));
    }

    private static async Task<NoContent> ConfirmEmailAsync(ConfirmEmailRequest request, AccountService accounts, CancellationToken cancellationToken)
    {
        await accounts.ConfirmEmailAsync(request.UserId, request.Token, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<AccountTokens>, Ok<TwoFactorChallenge>>> LoginAsync(
        LoginRequest request, AccountService accounts, HttpContext context, CancellationToken cancellationToken) =>
        await accounts.SignInAsync(request.Login, request.Password, Client(context), cancellationToken) switch
        {
            TwoFactorChallenge challenge => TypedResults.Ok(challenge),
            var tokens => TypedResults.Ok((AccountTokens)tokens),
        };

    private static async Task<Ok<AccountTokens>> LoginSecondFactorAsync(
        SecondFactorRequest request, AccountService accounts, HttpContext context, CancellationToken cancellationToken) =>
        TypedResults.Ok(await accounts.SignInSecondFactorAsync(request.Ticket, request.Code, request.RecoveryCode, Client(context), cancellationToken));

    private static async Task<Ok<PasskeyCeremonyOptions>> PasskeyOptionsAsync(
        [Microsoft.AspNetCore.Mvc.FromBody] PasskeyOptionsRequest? request, PasskeyService passkeys, HttpContext context,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await passkeys.RequestOptionsAsync(request?.UserName, context, cancellationToken));

    private static async Task<Ok<AccountTokens>> PasskeyLoginAsync(
        PasskeyLoginRequest request, PasskeyService passkeys, HttpContext context, CancellationToken cancellationToken) =>
        TypedResults.Ok(await passkeys.SignInAsync(request.Credential, request.State, Client(context), context, cancellationToken));

    private static async Task<Ok<AccountTokens>> RefreshAsync(
        RefreshRequest request, AccountSessions sessions, HttpContext context, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sessions.RefreshAsync(request.RefreshToken, Client(context), cancellationToken));

    private static async Task<NoContent> LogoutAsync(
        LogoutRequest? request, AccountProfiles profiles, AccountSessions sessions, HttpContext context, CancellationToken cancellationToken)
    {
        var user = await profiles.FindAsync(context.User.ToChatIdentity()?.UserId);
        if (request?.Everywhere == true)
        {
            await sessions.RevokeAllAsync(user, cancellationToken);
        }
        else if (context.User.FindFirst(ChatClaims.SessionId)?.Value is { } session)
        {
            await sessions.RevokeAsync(user.Id, session, cancellationToken);
        }

        return TypedResults.NoContent();
    }

    private static async Task<Accepted<Accepted>> ForgotPasswordAsync(
        ForgotPasswordRequest request, AccountService accounts, HttpContext context, CancellationToken cancellationToken)
    {
        await accounts.ForgotPasswordAsync(request.Email, Client(context), cancellationToken);
        return TypedResults.Accepted((string?)null, new Accepted("if the address belongs to an account, a reset link is on its way"));
    }

    private static async Task<NoContent> ResetPasswordAsync(ResetPasswordRequest request, AccountService accounts, CancellationToken cancellationToken)
    {
        await accounts.ResetPasswordAsync(request.UserId, request.Token, request.Password, cancellationToken);
        return TypedResults.NoContent();
    }
}
