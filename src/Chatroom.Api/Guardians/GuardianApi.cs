using Chatroom.Accounts;
using Chatroom.Accounts.Guardians;
using Chatroom.Accounts.SignIn;
using Chatroom.Api.Accounts;
using Chatroom.Api.Admin;
using Chatroom.Core.Errors;
using Chatroom.Core.Moderation;
using Chatroom.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatroom.Api.Guardians;

/// <summary>
/// Guardian consent for minors: the minor's request (<c>/api/account/guardian</c>), the guardian's consent link, list of
/// minors, restrictions, revocation and safety events (<c>/api/guardian</c>), and an admin's correction of a date of birth.
/// Every guardian action is audited with the minor as its target, under the acting account's user name.
/// </summary>
public static class GuardianApi
{
    private const int MaxEvents = 100;

    public static WebApplication MapGuardianApi(this WebApplication app)
    {
        var account = app.MapGroup("/api/account/guardian").WithTags("Guardians").RequireAuthorization();
        account.MapGet("/", StatusAsync).WithName("GetGuardianStatus")
            .WithSummary("Whether the account waits for a guardian's consent, and the last request's address and expiry.");
        account.MapPost("/", RequestAsync).WithName("RequestGuardianConsent")
            .WithSummary("Emails a single-use consent link to the guardian's address (a few a day); an earlier link stops working.");

        var guardian = app.MapGroup("/api/guardian").WithTags("Guardians").RequireAuthorization();
        guardian.MapGet("/consents/{token}", ViewAsync).WithName("ViewGuardianConsent")
            .WithSummary("What the minor's account will be allowed, and whether the signed-in account may decide (adult, second factor).");
        guardian.MapPost("/consents/{token}", DecideAsync).WithName("DecideGuardianConsent")
            .WithSummary("Approves or declines (an adult with a second factor); the link is spent.");
        guardian.MapGet("/minors", MinorsAsync).WithName("ListMinors").WithSummary("The minors this account is the guardian of.");
        guardian.MapPut("/minors/{id}/restrictions", RestrictAsync).WithName("SetMinorRestrictions")
            .WithSummary("Who may send the minor a first private message: off, contacts or everyone.");
        guardian.MapPost("/minors/{id}/revoke", RevokeAsync).WithName("RevokeGuardianConsent")
            .WithSummary("Withdraws consent: the minor's account is disabled and its sockets close on every node.");
        guardian.MapGet("/minors/{id}/events", EventsAsync).WithName("ListMinorSafetyEvents")
            .WithSummary("Safety events involving the minor (alerts and moderator decisions), newest first; never message text.");

        app.MapPut("/api/admin/users/{id}/birth-date", CorrectBirthDateAsync).WithTags("Accounts")
            .RequireAuthorization(ChatAuthExtensions.AdminPolicy).WithName("CorrectBirthDate")
            .WithSummary("Corrects an account's date of birth (audited); its guardian state follows.");
        return app;
    }

    private static Task<ChatUser> Me(AccountProfiles profiles, HttpContext context) => profiles.FindAsync(context.User.ToChatIdentity()?.UserId);

    private static async Task<Ok<GuardianStatus>> StatusAsync(
        AccountProfiles profiles, GuardianService guardians, HttpContext context, CancellationToken cancellationToken) =>
        TypedResults.Ok(await guardians.StatusAsync(await Me(profiles, context), cancellationToken));

    private static async Task<Ok<GuardianStatus>> RequestAsync(
        GuardianRequest request, AccountProfiles profiles, GuardianService guardians, ModerationActions audit, HttpContext context,
        CancellationToken cancellationToken)
    {
        var minor = await Me(profiles, context);
        var status = await guardians.RequestAsync(minor, request.Email, AccountAuthApi.Client(context), cancellationToken);
        await audit.AuditAsync(AuditActor.Of(context.User), GuardianAuditActions.Request, null, null, minor.Id,
            "the minor asked a guardian for consent", null, cancellationToken);
        return TypedResults.Ok(status);
    }

    private static async Task<Ok<ConsentView>> ViewAsync(
        string token, AccountProfiles profiles, GuardianService guardians, HttpContext context, CancellationToken cancellationToken) =>
        TypedResults.Ok(await guardians.ViewAsync(token, await Me(profiles, context), cancellationToken));

    private static async Task<Ok<ConsentDecision>> DecideAsync(
        string token, ConsentDecisionRequest request, AccountProfiles profiles, GuardianService guardians, ModerationActions audit,
        HttpContext context, CancellationToken cancellationToken)
    {
        var decided = await guardians.DecideAsync(token, await Me(profiles, context), request.Decision, request.DirectMessages, cancellationToken);
        var approved = request.Decision == GuardianService.Approve;
        await audit.AuditAsync(AuditActor.Of(context.User), approved ? GuardianAuditActions.Approve : GuardianAuditActions.Decline, null, null,
            decided.MinorUserId, approved ? "a guardian approved the account" : "a guardian declined the account",
            approved ? "directMessages=" + decided.DirectMessages : null, cancellationToken);
        return TypedResults.Ok(decided);
    }

    private static async Task<Ok<IReadOnlyList<GuardedMinor>>> MinorsAsync(
        AccountProfiles profiles, GuardianService guardians, HttpContext context, CancellationToken cancellationToken) =>
        TypedResults.Ok(await guardians.MinorsAsync(await Me(profiles, context), cancellationToken));

    private static async Task<Ok<GuardedMinor>> RestrictAsync(
        string id, RestrictionsRequest request, AccountProfiles profiles, GuardianService guardians, ModerationActions audit,
        HttpContext context, CancellationToken cancellationToken)
    {
        var minor = await guardians.SetRestrictionsAsync(await Me(profiles, context), id, request.DirectMessages, cancellationToken);
        await audit.AuditAsync(AuditActor.Of(context.User), GuardianAuditActions.Restrict, null, null, minor.Id,
            "a guardian changed the account's restrictions", "directMessages=" + minor.DirectMessages, cancellationToken);
        return TypedResults.Ok(minor);
    }

    private static async Task<Ok<GuardedMinor>> RevokeAsync(
        string id, AccountProfiles profiles, GuardianService guardians, ModerationActions audit, HttpContext context,
        CancellationToken cancellationToken)
    {
        var minor = await guardians.RevokeAsync(await Me(profiles, context), id, cancellationToken);
        await audit.AuditAsync(AuditActor.Of(context.User), GuardianAuditActions.Revoke, null, null, minor.Id,
            "a guardian withdrew consent: the account is disabled", null, cancellationToken);
        return TypedResults.Ok(minor);
    }

    private static async Task<Ok<MinorSafetyEvents>> EventsAsync(
        string id, int? limit, AccountProfiles profiles, GuardianService guardians, IEnumerable<IGuardianEventSource> sources, HttpContext context,
        CancellationToken cancellationToken)
    {
        var take = limit ?? 50;
        if (take is < 1 or > MaxEvents)
        {
            throw new ChatException(ErrorCodes.InvalidRequest, $"limit is 1-{MaxEvents}");
        }

        if (!await guardians.IsGuardianOfAsync(await Me(profiles, context), id, cancellationToken))
        {
            throw new ChatException(ErrorCodes.NotFound, "no such minor of yours");
        }

        var found = await Task.WhenAll(sources.Select(source => source.ListAsync(id, take, cancellationToken)));
        return TypedResults.Ok(new MinorSafetyEvents(id, found.SelectMany(events => events).OrderByDescending(e => e.At).Take(take).ToList()));
    }

    private static async Task<Ok<AccountProfile>> CorrectBirthDateAsync(
        string id, BirthDateCorrection request, GuardianService guardians, AccountProfiles profiles, ModerationActions audit, HttpContext context,
        CancellationToken cancellationToken)
    {
        var reason = AccountModerationApi.Reason(request.Reason, "date of birth corrected by an admin");
        var user = await guardians.CorrectBirthDateAsync(id, request.DateOfBirth, cancellationToken);
        await audit.AuditAsync(AuditActor.Of(context.User), GuardianAuditActions.SetBirthDate, null, null, user.Id, reason,
            user.DateOfBirth.ToString("O", System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        return TypedResults.Ok(await profiles.ProfileAsync(user));
    }
}
