using Chatroom.Accounts;
using Chatroom.Api.Conversations;
using Chatroom.Core.Chat;
using Chatroom.Core.Contacts;
using Chatroom.Core.Errors;
using Chatroom.Core.Messages;
using Chatroom.Core.Presence;
using Chatroom.Core.Rooms;
using Chatroom.ServiceDefaults.Auth;
using Chatroom.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
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
        group.MapGet("/{room}/members", ListMembers).WithName("ListRoomMembers")
            .WithSummary("A private or direct room's members, for its members.");
        group.MapPost("/{room}/members/{userId}", InviteMember).WithName("InviteRoomMember")
            .WithSummary("Invites a person into the caller's private room (owner only); they join once they accept.");
        group.MapPost("/{room}/invitations", InviteByNameAsync).WithName("InviteRoomMemberByName")
            .WithSummary("Invites a person by user name into the caller's private room (owner only); recipient_unavailable when no such person can be reached.");
        group.MapDelete("/{room}/members/{userId}", RemoveMember).WithName("RemoveRoomMember")
            .WithSummary("Removes a member from a private room (the owner anyone, a member themselves).");
        return group;
    }

    /// <summary>Public rooms and the caller's own private ones; admins see every room listed (names, never content).</summary>
    internal static async Task<Ok<List<RoomInfo>>> ListRooms(
        HttpContext context, IRoomStore rooms, RoomAccess access, IPresenceStore presence, CancellationToken ct)
    {
        var identity = context.User.ToChatIdentity()!;
        var all = await rooms.ListAsync(ct);
        var list = new List<RoomInfo>();
        foreach (var room in identity.IsAdmin ? all : await access.VisibleAsync(all, identity.UserId, ct))
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
            var room = await rooms.CreateAsync(request.Name, request.Topic, context.User.ToChatIdentity()!.UserId, ct, request.Visibility);
            return TypedResults.Created($"/api/rooms/{room.Name}", ToInfo(room, 0));
        }
        catch (ChatException refusal)
        {
            return ChatProblems.Refusal(refusal);
        }
    }

    internal static async Task<Results<Ok<MessagePage>, ProblemHttpResult>> GetMessages(
        string room, long? before, long? after, int? limit, HttpContext context,
        RoomAccess access, IMessageLog log, IOptions<ChatOptions> options, CancellationToken ct)
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

        await access.GetReadableAsync(room, context.User.ToChatIdentity()!, ct);
        var take = limit ?? 50;
        var page = await log.ReadAsync(room, new MessageQuery(before, after, take + 1), ct);
        var hasMore = page.Count > take;
        var oldestFirst = after is not null && before is null;
        var trimmed = !hasMore ? page : oldestFirst ? page.Take(take) : page.Skip(1);
        var admin = context.User.ToChatIdentity()?.IsAdmin == true;
        return TypedResults.Ok(new MessagePage(room, trimmed.Select(m => m.VisibleTo(admin)).ToList(), hasMore));
    }

    internal static async Task<Ok<List<MemberInfo>>> ListMembers(
        string room, HttpContext context, RoomAccess access, IRoomStore rooms, UserManager<ChatUser> users, CancellationToken ct)
    {
        await access.GetReadableAsync(room, context.User.ToChatIdentity()!, ct);
        var members = await rooms.ListMembersAsync(room, ct);
        var names = await PeopleNames.OfAsync(users, members.Select(m => m.UserId));
        return TypedResults.Ok(members.Select(m => new MemberInfo(m.UserId, m.Role, m.Since, names[m.UserId])).ToList());
    }

    /// <summary>
    /// The web app's invite: people know each other by name, not id. A name without an account is refused like a person who
    /// cannot be reached, so the answer does not tell which names exist.
    /// </summary>
    internal static async Task<NoContent> InviteByNameAsync(
        string room, InviteByName request, HttpContext context, ConversationService conversations, UserManager<ChatUser> users, CancellationToken ct)
    {
        var invitee = string.IsNullOrWhiteSpace(request.UserName) ? null : await users.FindByNameAsync(request.UserName.Trim());
        if (invitee is null)
        {
            throw new ChatException(ErrorCodes.RecipientUnavailable, "this person cannot be reached in a private conversation");
        }

        await conversations.InviteAsync(context.User.ToChatIdentity()!, room, invitee.Id, ct);
        return TypedResults.NoContent();
    }

    internal static async Task<NoContent> InviteMember(
        string room, string userId, HttpContext context, ConversationService conversations, CancellationToken ct)
    {
        await conversations.InviteAsync(context.User.ToChatIdentity()!, room, userId, ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RemoveMember(
        string room, string userId, HttpContext context, ConversationService conversations, CancellationToken ct) =>
        await conversations.RemoveMemberAsync(context.User.ToChatIdentity()!, room, userId, ct)
            ? TypedResults.NoContent()
            : ChatProblems.Refusal(ErrorCodes.NotFound, $"'{userId}' is not a member of '{room}'");

    private static RoomInfo ToInfo(Room room, int present) =>
        new(room.Name, room.Topic, room.CreatedAt, present, room.SlowModeSeconds, room.Locked, room.Visibility);
}
