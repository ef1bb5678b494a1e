using Chatroom.Core.Auth;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Chatroom.Core.Messages;
using Chatroom.Core.Moderation;
using Chatroom.Core.Rooms;
using Chatroom.ServiceDefaults.Auth;
using Chatroom.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Chatroom.Api.Admin;

/// <summary>
/// Admin moderation: room analysis, the review queue, the audit log and room controls. The review queue (list and resolve
/// flags) is open to moderators too; reading a private room's flagged text is audited (<see cref="PrivateExcerptAudit"/>).
/// </summary>
public static class ModerationAdminApi
{
    /// <summary>The room event telling clients its rules changed: <c>{room, slowModeSeconds, locked}</c>.</summary>
    public const string RoomUpdatedEvent = "roomUpdated";

    private const int MaxReasonLength = 500;
    private const int MaxMuteSeconds = 7 * 24 * 3600;
    private const int MaxSlowModeSeconds = 3600;

    public static RouteGroupBuilder MapModerationAdminApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin").WithTags("Moderation").RequireAuthorization(ChatAuthExtensions.AdminPolicy);
        group.MapGet("/rooms/{room}/analysis", GetRoomAnalysis).WithName("GetRoomAnalysis")
            .WithSummary("A room's mood and safety aggregates (all time, last hour, last 15 minutes), trend alerts and recent flagged messages.");
        group.MapGet("/verdicts", ListRecentVerdicts).WithName("ListRecentVerdicts")
            .WithSummary("The latest verdicts across rooms, newest first (?limit=1-200, default 50), shaped like the live analysis events.");
        group.MapGet("/audit", ListAudit).WithName("ListAudit").WithSummary("The audit log, newest first.");
        group.MapPut("/rooms/{room}/settings", UpdateSettings).WithName("UpdateRoomSettings").WithSummary("Slow mode and lock.");
        group.MapDelete("/rooms/{room}", DeleteRoom).WithName("DeleteRoom").WithSummary("Deletes a room and its messages.");

        var queue = routes.MapGroup("/api/admin/flags").WithTags("Moderation")
            .RequireAuthorization(policy => policy.RequireRole(ChatRoles.Admin, ChatRoles.Moderator));
        queue.MapGet("/", ListFlags).WithName("ListFlags")
            .WithSummary("The review queue, newest first (state=open by default); moderators and admins; private rooms' excerpts are audited.");
        queue.MapPost("/{id:long}/resolve", Resolve).WithName("ResolveFlag")
            .WithSummary("Approves a flagged message, or hides it, mutes or bans its author, with a reason; moderators and admins.");
        return group;
    }

    internal static async Task<Ok<RoomAnalysis>> GetRoomAnalysis(
        string room, HttpContext context, ChatService chat, IModerationStore store, IRoomStore rooms, ModerationActions actions,
        IOptions<TrendPolicy> trends, TimeProvider time, CancellationToken ct)
    {
        await chat.GetRoomAsync(room, ct);
        var aggregates = await store.GetAggregatesAsync(room, time.GetUtcNow(), ct);
        var alerts = trends.Value.Evaluate(aggregates.Last15Minutes).Select(a => new TrendAlert(a.Alert, a.Share)).ToList();
        var flagged = await store.ListFlagsAsync(room, null, 20, ct);
        await PrivateExcerptAudit.AuditAsync(context.User, flagged.Select(f => (f.Room, f.MessageId)), "room analysis", rooms, actions, ct);
        return TypedResults.Ok(new RoomAnalysis(room, aggregates, alerts, flagged));
    }

    internal static async Task<Results<Ok<IReadOnlyList<RecentVerdict>>, ProblemHttpResult>> ListRecentVerdicts(
        int? limit, IModerationStore store, IMessageLog log, CancellationToken ct)
    {
        if (limit is < 1 or > IModerationStore.MaxRecentVerdicts)
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, $"limit is 1-{IModerationStore.MaxRecentVerdicts}");
        }

        var verdicts = await store.ListRecentVerdictsAsync(limit ?? 50, ct);

        // The author's name and what stands now come from the message; a verdict whose message is gone (its room was
        // deleted) is left out, as it is from everything else the admin sees.
        var messages = await Task.WhenAll(verdicts.Select(v => log.GetAsync(v.Room, v.MessageId, ct)));
        var recent = new List<RecentVerdict>(verdicts.Count);
        for (var i = 0; i < verdicts.Count; i++)
        {
            if (messages[i] is { } message)
            {
                recent.Add(new RecentVerdict(message.Room, message.Id, message.AuthorName, verdicts[i], ActionOf(message, verdicts[i])));
            }
        }

        return TypedResults.Ok<IReadOnlyList<RecentVerdict>>(recent);
    }

    /// <summary>What the analysis did about the message, as far as it still shows: hidden, or flagged (every unsafe person's message is).</summary>
    private static string? ActionOf(ChatMessage message, VerdictRecord verdict) =>
        message.Hidden ? ModerationActionNames.Hide
        : verdict.IsUnsafe && message.Kind is not (MessageKind.System or MessageKind.Agent) ? ModerationActionNames.Flag
        : null;

    internal static async Task<Results<Ok<IReadOnlyList<FlagRecord>>, ProblemHttpResult>> ListFlags(
        string? state, string? room, int? limit, HttpContext context, IModerationStore store, IRoomStore rooms, ModerationActions actions,
        CancellationToken ct)
    {
        if (state is not (null or "all" or FlagStates.Open or FlagStates.Approved or FlagStates.Hidden or FlagStates.Muted or FlagStates.Banned
            or FlagStates.Appealed or FlagStates.Restored or FlagStates.Upheld))
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, "state is open, approved, hidden, muted, banned, appealed, restored, upheld or all");
        }

        if (limit is < 1 or > 200 || (room is not null && !RoomNames.IsValid(room)))
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, "limit is 1-200 and room a valid room name");
        }

        var filter = state switch { null => FlagStates.Open, "all" => null, _ => state };
        var flags = await store.ListFlagsAsync(room, filter, limit ?? 50, ct);
        await PrivateExcerptAudit.AuditAsync(context.User, flags.Select(f => (f.Room, f.MessageId)), "flag queue", rooms, actions, ct);
        return TypedResults.Ok(flags);
    }

    internal static async Task<Results<Ok<FlagRecord>, ProblemHttpResult>> Resolve(
        long id, ResolveFlag request, HttpContext context, IModerationStore store, ModerationActions actions, CancellationToken ct)
    {
        if (RefuseReason(request.Reason, out var reason) is { } refused)
        {
            return refused;
        }

        var state = request.Action switch
        {
            "approve" => FlagStates.Approved,
            "hide" => FlagStates.Hidden,
            "mute" => FlagStates.Muted,
            "ban" => FlagStates.Banned,
            _ => null,
        };
        if (state is null)
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, "action is approve, hide, mute or ban");
        }

        var muteSeconds = request.MuteSeconds ?? 600;
        if (muteSeconds is < 1 or > MaxMuteSeconds)
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, $"muteSeconds is 1-{MaxMuteSeconds}");
        }

        var flag = await store.GetFlagAsync(id, ct);
        if (flag is null)
        {
            return ChatProblems.Refusal(ErrorCodes.NotFound, $"there is no flag {id}");
        }

        var admin = AuditActor.Of(context.User);
        if (!await store.ResolveFlagAsync(id, state, admin, reason, ct))
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, $"flag {id} was resolved already ({flag.State})");
        }

        switch (state)
        {
            case FlagStates.Approved:
                await actions.RestoreAsync(flag.Room, flag.MessageId, admin, reason, ct);
                await actions.AuditAsync(admin, ModerationActionNames.Approve, flag.Room, flag.MessageId, flag.AuthorId, reason, null, ct);
                break;
            case FlagStates.Hidden:
                await actions.HideAsync(flag.Room, flag.MessageId, admin, reason, null, ct);
                break;
            case FlagStates.Muted:
                await actions.HideAsync(flag.Room, flag.MessageId, admin, reason, null, ct);
                await actions.MuteAsync(flag.Room, flag.AuthorId, flag.AuthorName, TimeSpan.FromSeconds(muteSeconds), admin, reason, flag.MessageId, ct);
                break;
            case FlagStates.Banned:
                await actions.HideAsync(flag.Room, flag.MessageId, admin, reason, null, ct);
                await actions.BanAsync(flag.Room, flag.AuthorId, flag.AuthorName, null, admin, reason, flag.MessageId, ct);
                break;
        }

        return TypedResults.Ok((await store.GetFlagAsync(id, ct))!);
    }

    /// <summary>Every moderator decision carries a reason for the audit log: null when <paramref name="given"/> is one.</summary>
    internal static ProblemHttpResult? RefuseReason(string? given, out string reason)
    {
        reason = given?.Trim() ?? string.Empty;
        return reason.Length is 0 or > MaxReasonLength
            ? ChatProblems.Refusal(ErrorCodes.InvalidRequest, $"a reason of 1-{MaxReasonLength} characters is required")
            : null;
    }

    internal static async Task<Results<Ok<IReadOnlyList<AuditEntry>>, ProblemHttpResult>> ListAudit(
        long? before, int? limit, IModerationStore store, CancellationToken ct)
    {
        if (limit is < 1 or > 500 || before is < 1)
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, "limit is 1-500 and before ≥ 1");
        }

        return TypedResults.Ok(await store.ListAuditAsync(before, limit ?? 100, ct));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> UpdateSettings(
        string room, RoomSettings request, HttpContext context, ChatService chat, IRoomStore rooms, ModerationActions actions, IChatBus bus, CancellationToken ct)
    {
        var found = await chat.GetRoomAsync(room, ct);
        var slow = request.SlowModeSeconds ?? found.SlowModeSeconds;
        if (slow is < 0 or > MaxSlowModeSeconds)
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, $"slowModeSeconds is 0-{MaxSlowModeSeconds}");
        }

        var admin = AuditActor.Of(context.User);
        var locked = request.Locked ?? found.Locked;
        await rooms.UpdateSettingsAsync(room, slow, locked, ct);
        if (slow != found.SlowModeSeconds)
        {
            await actions.SlowModeAsync(room, slow, admin, "room settings", ct);
        }

        if (locked != found.Locked)
        {
            await actions.AuditAsync(admin, locked ? "lock" : "unlock", room, null, null, "room settings", null, ct);
        }

        await bus.PublishAsync(new ChatEvent(RoomUpdatedEvent, room, ChatJson.ToElement(new { room, slowModeSeconds = slow, locked })), ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteRoom(
        string room, HttpContext context, IRoomStore rooms, ModerationActions actions, IOptions<ChatOptions> options, CancellationToken ct)
    {
        RoomNames.Validate(room);
        if (room == options.Value.DefaultRoom)
        {
            return ChatProblems.Refusal(ErrorCodes.Forbidden, $"the default room '{room}' cannot be deleted");
        }

        if (!await rooms.DeleteAsync(room, ct))
        {
            return ChatProblems.Refusal(ErrorCodes.UnknownRoom, $"there is no room '{room}'");
        }

        await actions.AuditAsync(AuditActor.Of(context.User), "delete_room", room, null, null, "deleted by an admin", null, ct);
        return TypedResults.NoContent();
    }
}
