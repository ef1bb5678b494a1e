using Chatroom.Accounts;
using Chatroom.Core.Contacts;
using Chatroom.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Chatroom.Api.Conversations;

/// <summary>
/// A person's private side of chat: their conversations with unread counts, whom they block, and reports. The rules are
/// <see cref="ConversationService"/>'s and <see cref="ReportService"/>'s; this only translates.
/// </summary>
public static class ConversationsApi
{
    public static IEndpointRouteBuilder MapConversationsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/conversations", ListConversations).WithTags("Conversations").RequireAuthorization()
            .WithName("ListConversations")
            .WithSummary("The caller's private and direct conversations, latest first, with unread counts; role pending marks a request.");

        var blocks = routes.MapGroup("/api/blocks").WithTags("Conversations").RequireAuthorization();
        blocks.MapGet("/", ListBlocks).WithName("ListBlocks").WithSummary("The people the caller blocks.");
        blocks.MapPost("/{userId}", Block).WithName("Block")
            .WithSummary("Blocks a person: they can no longer open, write to or invite the caller into a conversation.");
        blocks.MapDelete("/{userId}", Unblock).WithName("Unblock").WithSummary("Lifts a block.");

        routes.MapPost("/api/reports", Report).WithTags("Conversations").RequireAuthorization()
            .WithName("Report")
            .WithSummary("Reports a message or a person in a room the caller reads; it goes to the review queue with the reason.");
        return routes;
    }

    internal static async Task<Ok<IReadOnlyList<Conversation>>> ListConversations(
        HttpContext context, ConversationService conversations, CancellationToken ct) =>
        TypedResults.Ok(await conversations.ListAsync(context.User.ToChatIdentity()!.UserId, ct));

    internal static async Task<Ok<BlockList>> ListBlocks(HttpContext context, IBlockStore blocks, UserManager<ChatUser> users, CancellationToken ct)
    {
        var blocked = await blocks.ListAsync(context.User.ToChatIdentity()!.UserId, ct);
        var names = await PeopleNames.OfAsync(users, blocked);
        return TypedResults.Ok(new BlockList(blocked, blocked.Select(id => new PersonName(id, names[id])).ToList()));
    }

    internal static async Task<NoContent> Block(string userId, HttpContext context, ConversationService conversations, CancellationToken ct)
    {
        await conversations.BlockAsync(context.User.ToChatIdentity()!, userId, ct);
        return TypedResults.NoContent();
    }

    internal static async Task<NoContent> Unblock(string userId, HttpContext context, ConversationService conversations, CancellationToken ct)
    {
        await conversations.UnblockAsync(context.User.ToChatIdentity()!, userId, ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Created<ReportFiled>> Report(
        ReportRequest request, HttpContext context, ReportService reports, CancellationToken ct)
    {
        var flag = await reports.ReportAsync(context.User.ToChatIdentity()!, request.Room, request.MessageId, request.UserId, request.Reason, ct);
        return TypedResults.Created($"/api/admin/flags/{flag.Id}", new ReportFiled(flag.Id, flag.Room, flag.MessageId));
    }
}
