using System.Diagnostics;
using Chatroom.Api.Admin;
using Chatroom.Core.Auth;
using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Chatroom.Core.Messages;
using Chatroom.Core.Moderation;
using Chatroom.Core.Queues;
using Chatroom.ServiceDefaults.Auth;
using Chatroom.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatroom.Api.Moderation;

/// <summary>
/// Appeals: the author of a message moderation hid (or muted or banned them for) asks once for a second look; the policy
/// model, where one is configured, advises (queued, in the analysis service); a moderator restores the message or upholds
/// the action. Nothing is restored automatically.
/// </summary>
public static class AppealsApi
{
    public const int MaxReasonLength = 1_000;
    public const string AppealAction = "appeal";
    public const string UpholdAction = "uphold";

    public static IEndpointRouteBuilder MapAppealsApi(this IEndpointRouteBuilder routes)
    {
        var own = routes.MapGroup("/api/rooms/{room}/messages/{id:long}/appeal").WithTags("Moderation").RequireAuthorization();
        own.MapPost("/", Appeal).WithName("AppealMessage")
            .WithSummary("The author appeals the action moderation took on their message, once, with a reason (at most 1,000 characters).");
        own.MapGet("/", GetAppeal).WithName("GetAppeal").WithSummary("The author's view of their appeal: its state and, once decided, the outcome.");
        routes.MapPost("/api/admin/flags/{id:long}/appeal", Decide).WithTags("Moderation")
            .RequireAuthorization(policy => policy.RequireRole(ChatRoles.Admin, ChatRoles.Moderator)).WithName("DecideAppeal")
            .WithSummary("A moderator's decision on an appeal: restore (the message is shown again) or uphold, with a reason.");
        return routes;
    }

    internal static async Task<Results<Accepted<AppealView>, ProblemHttpResult>> Appeal(
        string room, long id, AppealRequest request, HttpContext context, ChatService chat, IMessageLog log, IModerationStore store,
        ModerationActions actions, IWorkQueue queue, AppealLimiter limiter, TimeProvider time, CancellationToken ct)
    {
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, "say why the message should be shown again");
        }

        if (reason.Length > MaxReasonLength)
        {
            return ChatProblems.Refusal(ErrorCodes.ReasonTooLong, $"an appeal's reason is at most {MaxReasonLength} characters ({reason.Length} given)");
        }

        await chat.GetRoomAsync(room, ct);
        var identity = context.User.ToChatIdentity()!;
        if (await log.GetAsync(room, id, ct) is not { } message)
        {
            return ChatProblems.Refusal(ErrorCodes.NotFound, $"there is no message {id} in '{room}'");
        }

        if (message.AuthorId != identity.UserId)
        {
            return ChatProblems.Refusal(ErrorCodes.NotYourMessage, "only the author of a message can appeal it");
        }

        var flag = await store.GetFlagAsync(room, id, ct);
        if (flag?.Appeal is not null)
        {
            return ChatProblems.Refusal(ErrorCodes.AppealExists, $"message {id} was appealed already ({flag.State})");
        }

        if (!message.Hidden && flag?.State is not (FlagStates.Muted or FlagStates.Banned))
        {
            return ChatProblems.Refusal(ErrorCodes.NothingToAppeal, $"moderation took no action on message {id}");
        }

        if (!limiter.TryAcquire(identity.UserId, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ChatProblems.Refusal(ErrorCodes.RateLimited, $"too many appeals; wait {(int)Math.Ceiling(retryAfter.TotalSeconds)} s");
        }

        var appeal = new FlagAppeal(reason, time.GetUtcNow());
        if (flag is not null)
        {
            if (!await store.AppealFlagAsync(flag.Id, appeal, ct))
            {
                return ChatProblems.Refusal(ErrorCodes.AppealExists, $"message {id} was appealed already");
            }
        }
        else
        {
            // Hidden by hand, never flagged: the appeal opens the message's flag so it reaches the same queue.
            var verdict = await store.GetVerdictAsync(room, id, ct);
            var opened = await store.FlagAsync(new FlagRecord(0, room, id, message.AuthorId, message.AuthorName, message.Text, "hidden by a moderator",
                verdict?.Categories ?? Array.Empty<string>(), verdict?.UnsafeScore ?? 0, FlagStates.Appealed, appeal.At, null, null, appeal), ct);
            if (opened.Appeal != appeal)
            {
                return ChatProblems.Refusal(ErrorCodes.AppealExists, $"message {id} was appealed already");
            }
        }

        await actions.AuditAsync(AuditActor.Of(context.User), AppealAction, room, id, message.AuthorId, reason, null, ct);
        await queue.EnqueueAsync(QueueNames.Appeals, new WorkItem(room, id, Activity.Current?.Id), ct);
        return TypedResults.Accepted($"/api/rooms/{room}/messages/{id}/appeal", new AppealView(room, id, FlagStates.Appealed, reason, appeal.At, null));
    }

    internal static async Task<Results<Ok<AppealView>, ProblemHttpResult>> GetAppeal(
        string room, long id, HttpContext context, ChatService chat, IMessageLog log, IModerationStore store, CancellationToken ct)
    {
        await chat.GetRoomAsync(room, ct);
        if (await log.GetAsync(room, id, ct) is not { } message)
        {
            return ChatProblems.Refusal(ErrorCodes.NotFound, $"there is no message {id} in '{room}'");
        }

        if (message.AuthorId != context.User.ToChatIdentity()!.UserId)
        {
            return ChatProblems.Refusal(ErrorCodes.NotYourMessage, "only the author of a message sees its appeal");
        }

        if (await store.GetFlagAsync(room, id, ct) is not { Appeal: { } appeal } flag)
        {
            return ChatProblems.Refusal(ErrorCodes.NotFound, $"message {id} has no appeal");
        }

        var decided = flag.State is FlagStates.Restored or FlagStates.Upheld or FlagStates.Approved;
        return TypedResults.Ok(new AppealView(room, id, flag.State, appeal.Reason, appeal.At, decided ? flag.Resolution : null));
    }

    internal static async Task<Results<Ok<FlagRecord>, ProblemHttpResult>> Decide(
        long id, AppealDecision request, HttpContext context, IModerationStore store, ModerationActions actions, CancellationToken ct)
    {
        if (ModerationAdminApi.RefuseReason(request.Reason, out var reason) is { } refused)
        {
            return refused;
        }

        var state = request.Decision switch
        {
            AppealAdvice.Restore => FlagStates.Restored,
            AppealAdvice.Uphold => FlagStates.Upheld,
            _ => null,
        };
        if (state is null)
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, "decision is restore or uphold");
        }

        if (await store.GetFlagAsync(id, ct) is not { } flag)
        {
            return ChatProblems.Refusal(ErrorCodes.NotFound, $"there is no flag {id}");
        }

        var moderator = AuditActor.Of(context.User);
        if (flag.State != FlagStates.Appealed || !await store.ResolveFlagAsync(id, state, moderator, reason, ct))
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, $"flag {id} has no appeal waiting ({flag.State})");
        }

        if (state == FlagStates.Restored)
        {
            await actions.RestoreAsync(flag.Room, flag.MessageId, moderator, reason, ct);
        }
        else
        {
            await actions.AuditAsync(moderator, UpholdAction, flag.Room, flag.MessageId, flag.AuthorId, reason, null, ct);
        }

        return TypedResults.Ok((await store.GetFlagAsync(id, ct))!);
    }
}
