using Chatroom.Core.Errors;
using Chatroom.ServiceDefaults.Auth;
using Chatroom.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatroom.Analysis.Agents.Discussions;

public sealed record StartDiscussion(string? Room, IReadOnlyList<string>? Agents, string? Topic, int? Turns);

/// <summary><c>/api/discussions</c>: start, read and stop the managed discussion of a room.</summary>
public static class DiscussionApi
{
    public static RouteGroupBuilder MapDiscussionApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/discussions").WithTags("Agents").RequireAuthorization();
        group.MapPost("/", Start).WithName("StartDiscussion").WithSummary("Starts a round-robin discussion between agents in a room.");
        group.MapGet("/{room}", Get).WithName("GetDiscussion").WithSummary("The room's running discussion.");
        group.MapDelete("/{room}", Stop).WithName("StopDiscussion").WithSummary("Stops the room's discussion (anyone may).");
        return group;
    }

    internal static async Task<Results<Created<Discussion>, ProblemHttpResult>> Start(
        StartDiscussion request, HttpContext context, DiscussionManager discussions, CancellationToken ct)
    {
        if (request.Room is null || request.Agents is null || request.Topic is null)
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, "room, agents and topic are required");
        }

        var discussion = await discussions.StartAsync(request.Room, request.Agents, request.Topic.Trim(), request.Turns ?? 6,
            context.User.ToChatIdentity()!.Name, ct);
        return TypedResults.Created($"/api/discussions/{request.Room}", discussion);
    }

    internal static async Task<Results<Ok<Discussion>, ProblemHttpResult>> Get(string room, DiscussionManager discussions, CancellationToken ct) =>
        await discussions.GetAsync(room, ct) is { } discussion
            ? TypedResults.Ok(discussion)
            : ChatProblems.Refusal(ErrorCodes.NotFound, $"no discussion is running in '{room}'");

    internal static async Task<Results<NoContent, ProblemHttpResult>> Stop(string room, HttpContext context, DiscussionManager discussions, CancellationToken ct) =>
        await discussions.StopAsync(room, context.User.ToChatIdentity()!.Name, ct)
            ? TypedResults.NoContent()
            : ChatProblems.Refusal(ErrorCodes.NotFound, $"no discussion is running in '{room}'");
}
