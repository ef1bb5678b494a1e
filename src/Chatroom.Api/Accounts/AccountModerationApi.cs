using Chatroom.Accounts;
using Chatroom.Accounts.Staff;
using Chatroom.Api.Admin;
using Chatroom.Core.Auth;
using Chatroom.Core.Errors;
using Chatroom.Core.Moderation;
using Chatroom.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Chatroom.Api.Accounts;

/// <summary>
/// Staff acting on accounts under <c>/api/admin/users</c>: the users list and account-wide bans (moderators and admins);
/// disabling, roles, resetting second factors and signing out everywhere (admins). Each action takes effect at once on
/// every node and is written to the audit log under the acting account's name.
/// </summary>
public static class AccountModerationApi
{
    private const int MaxReasonLength = 500;

    public static RouteGroupBuilder MapAccountModerationApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin/users").WithTags("Accounts")
            .RequireAuthorization(policy => policy.RequireRole(ChatRoles.Admin, ChatRoles.Moderator));
        group.MapGet("/", SearchAsync).WithName("ListAccounts")
            .WithSummary("Accounts whose user name, display name or email starts with q (take at most 100), and how many match.");
        group.MapPut("/{id}/roles", SetRolesAsync).RequireAuthorization(ChatAuthExtensions.AdminPolicy).WithName("SetAccountRoles")
            .WithSummary("Sets the account's roles (user is always kept) and signs it out everywhere; the only admin keeps admin.");
        group.MapPost("/{id}/reset-2fa", ResetSecondFactorsAsync).RequireAuthorization(ChatAuthExtensions.AdminPolicy).WithName("ResetSecondFactors")
            .WithSummary("Turns TOTP off, deletes passkeys and recovery codes, and signs the account out everywhere.");
        group.MapPost("/{id}/sign-out", SignOutAsync).RequireAuthorization(ChatAuthExtensions.AdminPolicy).WithName("SignOutAccount")
            .WithSummary("Signs the account out everywhere and closes its sockets on every node.");
        group.MapPost("/{id}/ban", BanAsync).WithName("BanAccount")
            .WithSummary("Bans the account until a time (or permanently): sign-in and refresh are refused, its sockets close on every node.");
        group.MapDelete("/{id}/ban", UnbanAsync).WithName("UnbanAccount").WithSummary("Lifts the account's ban.");
        group.MapPost("/{id}/disable", DisableAsync).RequireAuthorization(ChatAuthExtensions.AdminPolicy).WithName("DisableAccount")
            .WithSummary("Disables the account: signed out everywhere at once, and no sign-in until enabled.");
        group.MapPost("/{id}/enable", EnableAsync).RequireAuthorization(ChatAuthExtensions.AdminPolicy).WithName("EnableAccount")
            .WithSummary("Enables a disabled account again.");
        return group;
    }

    private static async Task<Ok<AccountBanResult>> BanAsync(
        string id, BanAccountRequest request, AccountModeration accounts, ModerationActions audit, HttpContext context, CancellationToken cancellationToken)
    {
        var reason = Reason(request.Reason, "banned by staff");
        var until = await accounts.BanAsync(id, request.Until, reason, context.User.ToChatIdentity()!, cancellationToken);
        await audit.AuditAsync(AuditActor.Of(context.User), ModerationActionNames.BanAccount, null, null, id, reason, until.ToString("O"), cancellationToken);
        return TypedResults.Ok(new AccountBanResult(id, until));
    }

    private static async Task<Ok<AdminUserPage>> SearchAsync(
        string? q, int? skip, int? take, AccountDirectory directory, CancellationToken cancellationToken) =>
        TypedResults.Ok(await directory.SearchAsync(q, skip, take, cancellationToken));

    private static async Task<Ok<AccountRoles>> SetRolesAsync(
        string id, SetRolesRequest request, AccountModeration accounts, ModerationActions audit, HttpContext context, CancellationToken cancellationToken)
    {
        var roles = await accounts.SetRolesAsync(id, request.Roles, context.User.ToChatIdentity()!, cancellationToken);
        await audit.AuditAsync(AuditActor.Of(context.User), ModerationActionNames.SetAccountRoles, null, null, id, "roles set by an admin",
            string.Join(",", roles.Roles), cancellationToken);
        return TypedResults.Ok(roles);
    }

    private static Task<NoContent> ResetSecondFactorsAsync(
        string id, [FromBody] StaffReason? request, AccountModeration accounts, ModerationActions audit, HttpContext context,
        CancellationToken cancellationToken) =>
        ActAsync(accounts.ResetSecondFactorsAsync, id, ModerationActionNames.ResetSecondFactors, Reason(request?.Reason, "second factors reset by an admin"),
            audit, context, cancellationToken);

    private static Task<NoContent> SignOutAsync(
        string id, [FromBody] StaffReason? request, AccountModeration accounts, ModerationActions audit, HttpContext context,
        CancellationToken cancellationToken) =>
        ActAsync(accounts.SignOutAsync, id, ModerationActionNames.SignOutAccount, Reason(request?.Reason, "signed out everywhere by an admin"),
            audit, context, cancellationToken);

    /// <summary>An admin action on an account that answers nothing: done, then audited under the acting account.</summary>
    private static async Task<NoContent> ActAsync(
        Func<string, ChatIdentity, CancellationToken, Task> act, string id, string action, string reason, ModerationActions audit, HttpContext context,
        CancellationToken cancellationToken)
    {
        await act(id, context.User.ToChatIdentity()!, cancellationToken);
        await audit.AuditAsync(AuditActor.Of(context.User), action, null, null, id, reason, null, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> UnbanAsync(
        string id, [FromBody] StaffReason? request,
        AccountModeration accounts, ModerationActions audit, HttpContext context, CancellationToken cancellationToken)
    {
        await accounts.UnbanAsync(id, context.User.ToChatIdentity()!);
        await audit.AuditAsync(AuditActor.Of(context.User), ModerationActionNames.UnbanAccount, null, null, id,
            Reason(request?.Reason, "unbanned by staff"), null, cancellationToken);
        return TypedResults.NoContent();
    }

    private static Task<NoContent> DisableAsync(
        string id, StaffReason? request, AccountModeration accounts, ModerationActions audit, HttpContext context, CancellationToken cancellationToken) =>
        SetDisabledAsync(id, true, request, accounts, audit, context, cancellationToken);

    private static Task<NoContent> EnableAsync(
        string id, StaffReason? request, AccountModeration accounts, ModerationActions audit, HttpContext context, CancellationToken cancellationToken) =>
        SetDisabledAsync(id, false, request, accounts, audit, context, cancellationToken);

    private static async Task<NoContent> SetDisabledAsync(
        string id, bool disabled, StaffReason? request, AccountModeration accounts, ModerationActions audit, HttpContext context,
        CancellationToken cancellationToken)
    {
        await accounts.SetDisabledAsync(id, disabled, context.User.ToChatIdentity()!, cancellationToken);
        await audit.AuditAsync(AuditActor.Of(context.User), disabled ? ModerationActionNames.DisableAccount : ModerationActionNames.EnableAccount,
            null, null, id, Reason(request?.Reason, disabled ? "disabled by an admin" : "enabled by an admin"), null, cancellationToken);
        return TypedResults.NoContent();
    }

    internal static string Reason(string? given, string fallback)
    {
        var reason = given?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            return fallback;
        }

        return reason.Length <= MaxReasonLength && !reason.Any(char.IsControl)
            ? reason
            : throw new ChatException(ErrorCodes.InvalidRequest, $"a reason is at most {MaxReasonLength} characters without control characters");
    }
}
