using Chatroom.Accounts;
using Chatroom.Accounts.SignIn;
using Chatroom.Accounts.Tokens;
using Chatroom.Accounts.TwoFactor;
using Chatroom.Core.Auth;
using Chatroom.Core.Errors;
using Chatroom.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatroom.Api.Accounts;

/// <summary>The signed-in person's own account under <c>/api/account</c>: profile, password, second factor, sessions.</summary>
public static class AccountApi
{
    public static RouteGroupBuilder MapAccountApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/account").WithTags("Accounts").RequireAuthorization();
        group.MapGet("/", GetAsync).WithName("GetAccount").WithSummary("The account's profile.");
        group.MapPatch("/", UpdateAsync).WithName("UpdateAccount").WithSummary("Changes the display name or date of birth.");
        group.MapDelete("/", DeleteAsync).WithName("DeleteAccount").WithSummary("Deletes the account (the password confirms it).");
        group.MapPost("/password", ChangePasswordAsync).WithName("ChangePassword").WithSummary("Changes the password and signs out every session.");
        group.MapGet("/2fa", TwoFactorStatusAsync).WithName("GetTwoFactor").WithSummary("Whether two-factor sign-in is on, and recovery codes left.");
        group.MapPost("/2fa/authenticator", EnrollAsync).WithName("EnrollAuthenticator").WithSummary("A new authenticator key and its otpauth URI.");
        group.MapPost("/2fa/verify", VerifyAsync).WithName("VerifyAuthenticator").WithSummary("Turns two-factor sign-in on with a code; returns recovery codes.");
        group.MapPost("/2fa/disable", DisableAsync).WithName("DisableTwoFactor").WithSummary("Turns two-factor sign-in off (the password confirms it).");
        group.MapPost("/2fa/recovery-codes", RecoveryCodesAsync).WithName("NewRecoveryCodes").WithSummary("Ten new recovery codes; the old ones stop working.");
        group.MapGet("/sessions", SessionsAsync).WithName("ListSessions").WithSummary("The account's signed-in sessions.");
        group.MapDelete("/sessions/{id}", RevokeSessionAsync).WithName("RevokeSession").WithSummary("Signs one session out.");
        return group;
    }

    private static Task<ChatUser> Me(AccountProfiles profiles, HttpContext context) => profiles.FindAsync(context.User.ToChatIdentity()?.UserId);

    private static async Task<Ok<AccountProfile>> GetAsync(AccountProfiles profiles, HttpContext context) =>
        TypedResults.Ok(await profiles.ProfileAsync(await Me(profiles, context)));

    private static async Task<Ok<AccountProfile>> UpdateAsync(UpdateAccountRequest request, AccountProfiles profiles, HttpContext context) =>
        TypedResults.Ok(await profiles.UpdateAsync(await Me(profiles, context), request.DisplayName, request.DateOfBirth));

    private static async Task<NoContent> DeleteAsync(
        [Microsoft.AspNetCore.Mvc.FromBody] PasswordConfirmation request, AccountProfiles profiles, HttpContext context, CancellationToken cancellationToken)
    {
        await profiles.DeleteAsync(await Me(profiles, context), request.Password, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> ChangePasswordAsync(
        ChangePasswordRequest request, AccountProfiles profiles, HttpContext context, CancellationToken cancellationToken)
    {
        await profiles.ChangePasswordAsync(await Me(profiles, context), request.CurrentPassword, request.NewPassword, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<TwoFactorStatus>> TwoFactorStatusAsync(AccountProfiles profiles, TwoFactorService twoFactor, HttpContext context) =>
        TypedResults.Ok(await twoFactor.StatusAsync(await Me(profiles, context)));

    private static async Task<Ok<AuthenticatorEnrollment>> EnrollAsync(
        AccountProfiles profiles, TwoFactorService twoFactor, HttpContext context, CancellationToken cancellationToken) =>
        TypedResults.Ok(await twoFactor.EnrollAsync(await Me(profiles, context), cancellationToken));

    private static async Task<Ok<RecoveryCodes>> VerifyAsync(
        TwoFactorCode request, AccountProfiles profiles, TwoFactorService twoFactor, HttpContext context, CancellationToken cancellationToken) =>
        TypedResults.Ok(await twoFactor.EnableAsync(await Me(profiles, context), request.Code, cancellationToken));

    private static async Task<NoContent> DisableAsync(
        PasswordConfirmation request, AccountProfiles profiles, TwoFactorService twoFactor, HttpContext context, CancellationToken cancellationToken)
    {
        await twoFactor.DisableAsync(await Me(profiles, context), request.Password, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<RecoveryCodes>> RecoveryCodesAsync(AccountProfiles profiles, TwoFactorService twoFactor, HttpContext context) =>
        TypedResults.Ok(await twoFactor.NewRecoveryCodesAsync(await Me(profiles, context)));

    private static async Task<Ok<IReadOnlyList<AccountSession>>> SessionsAsync(
        AccountProfiles profiles, AccountSessions sessions, HttpContext context, CancellationToken cancellationToken)
    {
        var user = await Me(profiles, context);
        return TypedResults.Ok(await sessions.ListAsync(user.Id, context.User.FindFirst(ChatClaims.SessionId)?.Value, cancellationToken));
    }

    private static async Task<NoContent> RevokeSessionAsync(
        string id, AccountProfiles profiles, AccountSessions sessions, HttpContext context, CancellationToken cancellationToken)
    {
        var user = await Me(profiles, context);
        if (id.Length > 64 || !await sessions.RevokeAsync(user.Id, id, cancellationToken))
        {
            throw new ChatException(ErrorCodes.NotFound, "no such session of this account");
        }

        return TypedResults.NoContent();
    }
}
