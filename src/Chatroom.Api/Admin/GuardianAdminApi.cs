using System.Globalization;
using Chatroom.Accounts;
using Chatroom.Accounts.Email;
using Chatroom.Accounts.Staff;
using Chatroom.Core.Auth;
using Chatroom.Core.Contacts;
using Chatroom.Core.Errors;
using Chatroom.Core.GuardianCases;
using Chatroom.Core.Moderation;
using Chatroom.Core.Rooms;
using Chatroom.ServiceDefaults.Auth;
using Chatroom.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Chatroom.Api.Admin;

/// <summary>
/// The guardian review queue under <c>/api/admin/guardian</c> for moderators and admins. A case shows private text, so
/// every read of a case or an account view is written to the audit log; resolving takes one of four actions.
/// </summary>
public static class GuardianAdminApi
{
    private const int MaxReasonLength = 500;

    public static RouteGroupBuilder MapGuardianAdminApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin/guardian").WithTags("Guardian cases")
            .RequireAuthorization(policy => policy.RequireRole(ChatRoles.Admin, ChatRoles.Moderator));
        group.MapGet("/cases", ListAsync).WithName("ListGuardianCases")
            .WithSummary("The guardian queue, newest first (state=open by default, or all/dismissed/restricted/banned/guardian_notified; subject=userId; limit 1-200).");
        group.MapGet("/cases/{id:long}", GetAsync).WithName("GetGuardianCase")
            .WithSummary("A case with its evidence lines, signals and summary; the read is audited and the first one starts the review clock.");
        group.MapPost("/cases/{id:long}/resolve", ResolveAsync).WithName("ResolveGuardianCase")
            .WithSummary("Resolves an open case: dismiss, restrict (no private conversations with minors), ban (account disabled) or notify-guardian (email), with a reason.");
        group.MapGet("/accounts/{userId}", GetAccountAsync).WithName("GetGuardianAccountView")
            .WithSummary("An account's private contacts (with ages where known), its cases and its contact restriction; audited.");
        group.MapGet("/settings", GetSettingsAsync).WithName("GetGuardianSettings").RequireAuthorization(ChatAuthExtensions.AdminPolicy)
            .WithSummary("The guardian agent's threshold and windows: an admin's stored settings, else the built-in defaults (stored: false).");
        group.MapPut("/settings", PutSettingsAsync).WithName("PutGuardianSettings").RequireAuthorization(ChatAuthExtensions.AdminPolicy)
            .WithSummary("Stores the guardian agent's threshold and windows; the analysis service applies them on its next look at a conversation. Audited.");
        group.MapDelete("/settings", ResetSettingsAsync).WithName("ResetGuardianSettings").RequireAuthorization(ChatAuthExtensions.AdminPolicy)
            .WithSummary("Removes the stored settings, so the analysis service's configuration applies again. Audited.");
        return group;
    }

    internal static async Task<Results<Ok<IReadOnlyList<GuardianCaseSummary>>, ProblemHttpResult>> ListAsync(
        string? state, string? subject, int? limit, IGuardianCaseStore cases, CancellationToken ct)
    {
        if (state is not null && state != "all" && !GuardianCaseStates.IsKnown(state))
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, "state is open, dismissed, restricted, banned, guardian_notified or all");
        }

        if (limit is < 1 or > 200)
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, "limit is 1-200");
        }

        var filter = state switch { null => GuardianCaseStates.Open, "all" => null, _ => state };
        var found = await cases.ListAsync(filter, subject, limit ?? 50, ct);
        return TypedResults.Ok<IReadOnlyList<GuardianCaseSummary>>(found.Select(GuardianCaseSummary.Of).ToList());
    }

    internal static async Task<Results<Ok<GuardianCase>, ProblemHttpResult>> GetAsync(
        long id, HttpContext context, IGuardianCaseStore cases, ModerationActions audit, GuardianCaseMetrics metrics, TimeProvider time, CancellationToken ct)
    {
        if (await cases.GetAsync(id, ct) is not { } found)
        {
            return ChatProblems.Refusal(ErrorCodes.NotFound, $"there is no guardian case {id}");
        }

        var moderator = AuditActor.Of(context.User);
        await audit.AuditAsync(moderator, "guardian_case_read", found.Room, null, found.SubjectUserId, "read guardian case", $"case {id}", ct);
        if (found.FirstReviewedAt is null)
        {
            var now = time.GetUtcNow();
            found = await cases.MarkReviewedAsync(id, moderator, now, ct) ?? found;
            if (found.FirstReviewedAt == now)
            {
                metrics.FirstReview(now - found.OpenedAt);
            }
        }

        return TypedResults.Ok(found);
    }

    internal static async Task<Results<Ok<GuardianCase>, ProblemHttpResult>> ResolveAsync(
        long id, ResolveGuardianCase request, HttpContext context, IGuardianCaseStore cases, IContactRestrictionStore restrictions,
        IParticipantStore participants, AccountModeration accounts, UserManager<ChatUser> users, IAccountEmailSender email,
        IOptions<EmailOptions> emailOptions, ModerationActions audit, GuardianCaseMetrics metrics, TimeProvider time, CancellationToken ct)
    {
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > MaxReasonLength)
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, $"a reason of 1-{MaxReasonLength} characters is required");
        }

        var state = request.Action switch
        {
            "dismiss" => GuardianCaseStates.Dismissed,
            "restrict" => GuardianCaseStates.Restricted,
            "ban" => GuardianCaseStates.Banned,
            "notify-guardian" => GuardianCaseStates.GuardianNotified,
            _ => null,
        };
        if (state is null)
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, "action is dismiss, restrict, ban or notify-guardian");
        }

        if (await cases.GetAsync(id, ct) is not { } found)
        {
            return ChatProblems.Refusal(ErrorCodes.NotFound, $"there is no guardian case {id}");
        }

        if (found.State != GuardianCaseStates.Open)
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, $"guardian case {id} was resolved already ({found.State})");
        }

        // The guardian's address is checked before anything changes, so a case without a guardian to tell stays open.
        var guardians = new List<ChatUser>();
        if (state == GuardianCaseStates.GuardianNotified)
        {
            var profiles = await participants.GetManyAsync(found.MinorUserIds, ct);
            foreach (var guardianId in profiles.Values.Select(p => p.GuardianUserId).OfType<string>().Distinct())
            {
                if (await users.FindByIdAsync(guardianId) is { Email.Length: > 0 } guardian)
                {
                    guardians.Add(guardian);
                }
            }

            if (guardians.Count == 0)
            {
                return ChatProblems.Refusal(ErrorCodes.InvalidRequest, "no minor in this case has a guardian with an email address");
            }
        }

        var moderator = AuditActor.Of(context.User);
        var now = time.GetUtcNow();
        switch (state)
        {
            case GuardianCaseStates.Restricted:
                await restrictions.RestrictAsync(new ContactRestriction(found.SubjectUserId, reason, moderator, now, id), ct);
                break;
            case GuardianCaseStates.Banned:
                await accounts.SetDisabledAsync(found.SubjectUserId, true, context.User.ToChatIdentity()!, ct);
                break;
            case GuardianCaseStates.GuardianNotified:
                foreach (var guardian in guardians)
                {
                    await email.SendAsync(GuardianNotice(guardian, emailOptions.Value.From), ct);
                }

                break;
        }

        if (!await cases.ResolveAsync(id, state, moderator, reason, now, ct))
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, $"guardian case {id} was resolved meanwhile");
        }

        metrics.Resolved(state);
        await audit.AuditAsync(moderator, $"guardian_{request.Action!.Replace('-', '_')}", found.Room, null, found.SubjectUserId, reason, $"case {id}", ct);
        return TypedResults.Ok((await cases.GetAsync(id, ct))!);
    }

    internal static async Task<Ok<GuardianAccountView>> GetAccountAsync(
        string userId, HttpContext context, IGuardianCaseStore cases, IContactRestrictionStore restrictions, IRoomStore rooms,
        IParticipantStore participants, ModerationActions audit, TimeProvider time, CancellationToken ct)
    {
        await audit.AuditAsync(AuditActor.Of(context.User), "guardian_account_read", null, null, userId, "read guardian account view", null, ct);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var contacts = new List<GuardianContact>();
        foreach (var name in await rooms.ListRoomsOfAsync(userId, ct))
        {
            if (await rooms.GetAsync(name, ct) is not { IsMembersOnly: true } room)
            {
                continue;
            }

            var others = (await rooms.ListMembersAsync(name, ct)).Select(m => m.UserId).Where(id => id != userId).ToList();
            var profiles = await participants.GetManyAsync(others, ct);
            contacts.Add(new GuardianContact(name, room.Visibility,
                others.Select(id => new GuardianContactPerson(id, profiles.GetValueOrDefault(id)?.AgeOn(today))).ToList()));
        }

        var found = await cases.ListAsync(null, userId, 100, ct);
        return TypedResults.Ok(new GuardianAccountView(userId, contacts, found.Select(GuardianCaseSummary.Of).ToList(), await restrictions.GetAsync(userId, ct)));
    }

    internal static async Task<Ok<GuardianSettingsBody>> GetSettingsAsync(IGuardianSettingsStore settings, CancellationToken ct) =>
        TypedResults.Ok(GuardianSettingsBody.Of(await settings.GetAsync(ct)));

    internal static async Task<Results<Ok<GuardianSettingsBody>, ProblemHttpResult>> PutSettingsAsync(
        GuardianSettingsBody request, HttpContext context, IGuardianSettingsStore settings, ModerationActions audit, TimeProvider time, CancellationToken ct)
    {
        var actor = AuditActor.Of(context.User);
        var next = request.ToSettings(actor, time.GetUtcNow());
        if (next.Problem() is { } problem)
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidGuardianSettings, problem);
        }

        await settings.SaveAsync(next, ct);
        var stored = GuardianSettingsBody.Of(next);
        await audit.AuditAsync(actor, "guardian_settings", null, null, null, "guardian agent settings changed",
            string.Create(CultureInfo.InvariantCulture,
                $"threshold {stored.Threshold?.ToString(CultureInfo.InvariantCulture) ?? "configured"}, window {stored.WindowMessages} messages / {stored.WindowAgeMinutes} min, new minor contacts {stored.MaxNewMinorContacts} / {stored.ContactPeriodMinutes} min"),
            ct);
        return TypedResults.Ok(stored);
    }

    internal static async Task<Ok<GuardianSettingsBody>> ResetSettingsAsync(
        HttpContext context, IGuardianSettingsStore settings, ModerationActions audit, CancellationToken ct)
    {
        if (await settings.ResetAsync(ct))
        {
            await audit.AuditAsync(AuditActor.Of(context.User), "guardian_settings", null, null, null, "guardian agent settings reset to configuration", null, ct);
        }

        return TypedResults.Ok(GuardianSettingsBody.Of(null));
    }

    /// <summary>Says that moderators acted on a conversation involving their child; never the messages themselves.</summary>
    private static MimeMessage GuardianNotice(ChatUser guardian, string from)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(new MailboxAddress(guardian.DisplayName, guardian.Email!));
        message.Subject = "A safety notice about the Chatroom account you look after";
        message.Body = new TextPart("plain")
        {
            Text = $"Hello {guardian.DisplayName},\n\nour moderators reviewed a private conversation involving the account you are guardian of " +
                "and found it concerning. You can see the safety events for this account on your guardian page. " +
                "If you have questions, reply to this message.\n",
        };
        return message;
    }
}
