using Chatroom.Accounts.Bots;
using Chatroom.Api.Posting;
using Chatroom.Core.Chat;
using Chatroom.Core.Messages;
using Chatroom.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Chatroom.Api.Integrations;

/// <summary><c>POST /api/admin/webhooks/incoming</c>: a name and the one room the webhook posts into.</summary>
public sealed record CreateIncomingWebhookRequest(string? Name, string? Room);

/// <summary>
/// Incoming webhooks: admins make URLs (<c>/api/admin/webhooks/incoming</c>), and a program posts <c>{text}</c> to
/// <c>POST /hooks/{id}/{secret}</c> without a token. It posts as the webhook (author kind <c>webhook</c>) into its one
/// room, through the send admission, under the webhook's own rate budget and the room's rules.
/// </summary>
public static class IncomingWebhooksApi
{
    /// <summary>A webhook's text is a chat message: far below /api's body limit is plenty.</summary>
    public const long MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapIncomingWebhooksApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/admin/webhooks/incoming").WithTags("Integrations").RequireAuthorization(ChatAuthExtensions.AdminPolicy);
        admin.MapGet("/", List).WithName("ListIncomingWebhooks").WithSummary("Lists incoming webhooks (never their secrets).");
        admin.MapPost("/", Create).WithName("CreateIncomingWebhook")
            .WithSummary("Makes an incoming webhook URL for one room; the URL (with its secret) is in this answer and nowhere else.");
        admin.MapDelete("/{id}", Delete).WithName("DeleteIncomingWebhook").WithSummary("Deletes an incoming webhook: its URL stops working.");

        routes.MapPost("/hooks/{id}/{secret}", Post).WithTags("Integrations").AllowAnonymous().WithName("PostIncomingWebhook")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .WithSummary("Posts {text} into the webhook's room as the webhook.");
        return routes;
    }

    internal static async Task<Ok<IReadOnlyList<IncomingWebhookInfo>>> List(IncomingWebhookService hooks, CancellationToken ct) =>
        TypedResults.Ok(await hooks.ListAsync(ct));

    internal static async Task<Created<IssuedIncomingWebhook>> Create(CreateIncomingWebhookRequest request, HttpContext context, IncomingWebhookService hooks, CancellationToken ct)
    {
        var issued = await hooks.CreateAsync(request.Name, request.Room, context.User.ToChatIdentity()!.UserId, ct);
        return TypedResults.Created((string?)null, issued);
    }

    internal static async Task<NoContent> Delete(string id, IncomingWebhookService hooks, CancellationToken ct)
    {
        await hooks.DeleteAsync(id, ct);
        return TypedResults.NoContent();
    }

    /// <summary>Refusals (unknown hook or wrong secret alike: 404; rate limits with Retry-After) go to the problem+json handler.</summary>
    internal static async Task<Created<ChatMessage>> Post(
        string id, string secret, PostMessageRequest request, [FromHeader(Name = PostingApi.HopHeader)] int? answeredHop,
        IncomingWebhookService hooks, SendAdmission admission, ApiSenders senders, CancellationToken ct)
    {
        var identity = await hooks.IdentifyAsync(id, secret, ct);
        var room = identity.Bot!.Rooms.Single();
        var result = await admission.SendAsync(senders.For(identity), room, request.Text ?? string.Empty, null, LoopGuard.Next(answeredHop), ct);
        return TypedResults.Created((string?)null, result.Message);
    }
}
