using Chatroom.Core.Messages;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Chatroom.Api.Posting;

/// <summary>A message a program posts: <c>{text}</c>.</summary>
public sealed record PostMessageRequest(string? Text);

/// <summary><c>POST /api/rooms/{room}/messages</c>: posting for programs, under the hub's send rules.</summary>
public static class PostingApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>The hop of the delivered event a program's post answers, echoed back from the delivery (loop guard).</summary>
    public const string HopHeader = "X-Chatroom-Hop";

    /// <summary>Set on an answer replayed for a retried key, as the IETF idempotency-key draft's implementations do.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    public static RouteGroupBuilder MapPostingApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/rooms").WithTags("Rooms").RequireAuthorization();
        group.MapPost("/{room}/messages", PostMessage).WithName("PostMessage")
            .WithSummary("Posts a message as the caller under the hub's send rules; a repeated Idempotency-Key answers with the first message.");
        return group;
    }

    /// <summary>Refusals (rate limits with Retry-After among them) are thrown to the problem+json handler, as on every route.</summary>
    internal static async Task<Created<ChatMessage>> PostMessage(
        string room, PostMessageRequest request, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        [FromHeader(Name = HopHeader)] int? answeredHop, HttpContext context, MessagePosting posting, CancellationToken ct)
    {
        var posted = await posting.PostAsync(context.User, room, request.Text, idempotencyKey, answeredHop, ct);
        if (posted.Replayed)
        {
            context.Response.Headers[ReplayedHeader] = "true";
        }

        return TypedResults.Created((string?)null, posted.Message);
    }
}
