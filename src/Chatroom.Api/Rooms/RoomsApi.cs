using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Chatroom.Core.Messages;
using Chatroom.Core.Presence;
using Chatroom.Core.Rooms;
using Chatroom.ServiceDefaults.Auth;
using Chatroom.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Chatroom.Api.Rooms;

public static class RoomsApi
{
    public static RouteGroupBuilder MapRoomsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/rooms").WithTags("Rooms").RequireAuthorization();
        group.MapGet("/", ListRooms).WithName("ListRooms").WithSummary("Lists rooms with how many users are in each now.");
        group.MapPost("/", CreateRoom).WithName("CreateRoom").WithSummary("Creates a room.");
        group.MapGet("/{room}/messages", GetMessages).WithName("GetMessages")
            .WithSummary("Pages through a room's history: before= for older, after= for newer, ascending ids.");
        return group;
    }

    internal static async Task<Ok<List<RoomInfo>>> ListRooms(IRoomStore rooms, IPresenceStore presence, CancellationToken ct)
    {
        var list = new List<RoomInfo>();
        foreach (var room in await rooms.ListAsync(ct))
        {
            list.Add(ToInfo(room, (await presence.ListAsync(room.Name, ct)).Count));
        }

        return TypedResults.Ok(list);
    }

    internal static async Task<Results<Created<RoomInfo>, ProblemHttpResult>> CreateRoom(
        CreateRoom request, HttpContext context, RoomService rooms, CancellationToken ct)
    {
        try
        {
            var room = await rooms.CreateAsync(request.Name, request.Topic, context.User.ToChatIdentity()!.UserId, ct);
            return TypedResults.Created($"/api/rooms/{room.Name}", ToInfo(room, 0));
        }
        catch (ChatException refusal)
        {
            return ChatProblems.Refusal(refusal);
        }
    }

    internal static async Task<Results<Ok<MessagePage>, ProblemHttpResult>> GetMessages(
        string room, long? before, long? after, int? limit, HttpContext context,
        ChatService chat, IMessageLog log, IOptions<ChatOptions> options, CancellationToken ct)
    {
        // A bot reads only its own rooms (thrown to the problem+json handler with its stable code).
        context.User.ToChatIdentity()?.Bot?.EnsureMayRead(room);
        var max = options.Value.MaxPageSize;
        if (limit is { } l && (l < 1 || l > max))
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, $"limit must be 1-{max}");
        }

        if (before is < 1 || after is < 0 || (before is { } b && after is { } a && a >= b))
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidCursor, "before must be ≥ 1, after ≥ 0, and after < before");
        }

        await chat.GetRoomAsync(room, ct);
        var take = limit ?? 50;
        var page = await log.ReadAsync(room, new MessageQuery(before, after, take + 1), ct);
        var hasMore = page.Count > take;
        var oldestFirst = after is not null && before is null;
        var trimmed = !hasMore ? page : oldestFirst ? page.Take(take) : page.Skip(1);
        var admin = context.User.ToChatIdentity()?.IsAdmin == true;
        return TypedResults.Ok(new MessagePage(room, trimmed.Select(m => m.VisibleTo(admin)).ToList(), hasMore));
    }

    private static RoomInfo ToInfo(Room room, int present) =>
        new(room.Name, room.Topic, room.CreatedAt, present, room.SlowModeSeconds, room.Locked);
}
