using Chatroom.Accounts;
using Chatroom.Accounts.Passkeys;
using Chatroom.Accounts.SignIn;
using Chatroom.Accounts.Tokens;
using Chatroom.Accounts.TwoFactor;
using Chatroom.Api.Admin;
using Chatroom.Core.Auth;
using Chatroom.Core.Errors;
using Chatroom.Core.Moderation;
using Chatroom.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Chatroom.Api.Accounts;

/// <summary>The signed-in person's own account under <c>/api/account</c>: profile, export, password, second factors, passkeys, sessions.</summary>
public static class AccountApi
{
    public static RouteGroupBuilder MapAccountApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/account").WithTags("Accounts").RequireAuthorization();
        group.MapGet("/", GetAsync).WithName("GetAccount").WithSummary("The account's profile.");
        group.MapGet("/export", ExportAsync).WithName("ExportAccount")
            .WithSummary("Everything the account holds about its person, as a JSON download (passkeys without key material).");
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
        group.MapPost("/passkeys/options", PasskeyCreationOptionsAsync).WithName("PasskeyCreationOptions")
            .WithSummary("WebAuthn creation options for a new passkey, and the state to send back with the browser's answer.");
        group.MapPost("/passkeys", EnrollPasskeyAsync).WithName("EnrollPasskey").WithSummary("Stores the browser's new passkey under a name.");
        group.MapGet("/passkeys", PasskeysAsync).WithName("ListPasskeys").WithSummary("The account's passkeys: id, name, created, last used.");
        group.MapPatch("/passkeys/{id}", RenamePasskeyAsync).WithName("RenamePasskey").WithSummary("Renames a passkey.");
        group.MapDelete("/passkeys/{id}", DeletePasskeyAsync).WithName("DeletePasskey").WithSummary("Removes a passkey (audited).");
        return group;
    }

    private static Task<ChatUser> Me(AccountProfiles profiles, HttpContext context) => profiles.FindAsync(context.User.ToChatIdentity()?.UserId);

    private static async Task<Ok<AccountProfile>> GetAsync(AccountProfiles profiles, HttpContext context) =>
        TypedResults.Ok(await profiles.ProfileAsync(await Me(profiles, context)));

    private static async Task<Ok<AccountExport>> ExportAsync(AccountProfiles profiles, HttpContext context, CancellationToken cancellationToken)
    {
        var user = await Me(profiles, context);
        var export = await profiles.ExportAsync(user, context.User.FindFirst(ChatClaims.SessionId)?.Value, cancellationToken);
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName($"chatroom-account-{user.UserName}.json");
        context.Response.Headers.ContentDisposition = disposition.ToString();
        return TypedResults.Ok(export);
    }

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

    private static async Task<Ok<PasskeyCeremonyOptions>> PasskeyCreationOptionsAsync(
        AccountProfiles profiles, PasskeyService passkeys, HttpContext context, CancellationToken cancellationToken) =>
        TypedResults.Ok(await passkeys.CreationOptionsAsync(await Me(profiles, context), context, cancellationToken));

    private static async Task<Ok<NewPasskey>> EnrollPasskeyAsync(
        PasskeyEnrollRequest request, AccountProfiles profiles, PasskeyService passkeys, HttpContext context, CancellationToken cancellationToken) =>
        TypedResults.Ok(await passkeys.EnrollAsync(await Me(profiles, context), request.Credential, request.State, request.Name, context, cancellationToken));

    private static async Task<Ok<IReadOnlyList<AccountPasskey>>> PasskeysAsync(
        AccountProfiles profiles, PasskeyService passkeys, HttpContext context, CancellationToken cancellationToken) =>
        TypedResults.Ok(await passkeys.ListAsync((await Me(profiles, context)).Id, cancellationToken));

    private static async Task<NoContent> RenamePasskeyAsync(
        string id, PasskeyRenameRequest request, AccountProfiles profiles, PasskeyService passkeys, HttpContext context, CancellationToken cancellationToken)
    {
        await passkeys.RenameAsync(await Me(profiles, context), id, request.Name, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> DeletePasskeyAsync(
        string id, AccountProfiles profiles, PasskeyService passkeys, ModerationActions audit, HttpContext context, CancellationToken cancellationToken)
    {
        var user = await Me(profiles, context);
        var name = await passkeys.DeleteAsync(user, id, cancellationToken);
        await audit.AuditAsync(AuditActor.Of(context.User), ModerationActionNames.DeletePasskey, null, null, user.Id,
            "removed by the account's owner", name, cancellationToken);
        return TypedResults.NoContent();
    }
}
