using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Core.Messages;
using Chatroom.Core.Moderation;
using Chatroom.Core.Presence;
using Chatroom.Core.Rooms;
using Chatroom.ServiceDefaults.Auth;
using Chatroom.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatroom.Api.Admin;

public static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(ChatAuthExtensions.AdminPolicy);
        group.MapGet("/stats", GetStats).WithName("GetStats").WithSummary("Rooms, connected users and stored messages.");
        group.MapGet("/timeseries", GetTimeSeries).WithName("GetTimeSeries")
            .WithSummary("Analysed messages per minute over the last hour (or ?minutes=1-1440), by mood and safety, for the dashboard charts.");
        group.MapPost("/broadcast", Broadcast).WithName("Broadcast")
            .WithSummary("Posts a system message into every room, stored like any message.");
        return group;
    }

    internal static async Task<Ok<ChatStats>> GetStats(IRoomStore rooms, IPresenceStore presence, IMessageLog log, CancellationToken ct)
    {
        var roomCount = (await rooms.ListAsync(ct)).Count;
        return TypedResults.Ok(new ChatStats(roomCount, await presence.CountUsersAsync(ct), await log.CountAsync(ct)));
    }

    internal static async Task<Results<Ok<AdminTimeSeries>, ProblemHttpResult>> GetTimeSeries(
        int? minutes, IModerationStore store, TimeProvider time, CancellationToken ct)
    {
        var span = minutes ?? 60;
        if (span is < 1 or > 1440)
        {
            return ChatProblems.Refusal(Core.Errors.ErrorCodes.InvalidRequest, "minutes is 1-1440");
        }

        var points = await store.GetMinuteSeriesAsync(time.GetUtcNow().AddMinutes(-span), ct);
        return TypedResults.Ok(new AdminTimeSeries(span, points));
    }

    internal static async Task<Ok<BroadcastResult>> Broadcast(
        BroadcastRequest request, HttpContext context, ChatService chat, IRoomStore rooms, IChatBus bus, ModerationActions actions, CancellationToken ct)
    {
        var text = chat.ValidateText(request.Text);
        var identity = context.User.ToChatIdentity()!;
        var all = await rooms.ListAsync(ct);
        var broadcastId = Guid.NewGuid().ToString("N");
        foreach (var room in all)
        {
            // One client id per broadcast and room: a retried request cannot store it twice.
            await chat.PostAsync(new NewMessage(room.Name, identity.UserId, identity.Name, MessageKind.System, text, "broadcast-" + broadcastId), ct);
        }

        await bus.PublishAsync(new ChatEvent(ChatEventTypes.System, null, ChatJson.ToElement(new { room = (string?)null, text })), ct);
        await actions.AuditAsync(AuditActor.Of(context.User), ModerationActionNames.Broadcast, null, null, null, "broadcast to every room", text, ct);
        return TypedResults.Ok(new BroadcastResult(all.Count));
    }
}
