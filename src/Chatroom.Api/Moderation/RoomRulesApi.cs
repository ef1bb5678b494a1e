using Chatroom.Api.Admin;
using Chatroom.Core.Auth;
using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Chatroom.Core.Moderation;
using Chatroom.Core.Rooms;
using Chatroom.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatroom.Api.Moderation;

/// <summary>Each room's written rules: anyone who may read the room reads them; moderators and admins write them.</summary>
public static class RoomRulesApi
{
    public const string SetRulesAction = "set_rules";

    public static IEndpointRouteBuilder MapRoomRulesApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/rooms/{room}/rules", GetRules).WithTags("Rooms").RequireAuthorization().WithName("GetRoomRules")
            .WithSummary("The server's written rules and the room's own (Markdown; null when it has none).");
        routes.MapPut("/api/admin/rooms/{room}/rules", SetRules).WithTags("Moderation")
            .RequireAuthorization(policy => policy.RequireRole(ChatRoles.Admin, ChatRoles.Moderator)).WithName("SetRoomRules")
            .WithSummary("Replaces the room's written rules (at most 4,000 characters; empty clears them); audited.");
        return routes;
    }

    internal static async Task<Ok<RoomRulesView>> GetRules(
        string room, ChatService chat, IRoomRulesStore rules, IConfiguration configuration, CancellationToken ct)
    {
        await chat.GetRoomAsync(room, ct);
        var own = await rules.GetAsync(room, ct);
        return TypedResults.Ok(new RoomRulesView(room, ServerRules(configuration), own?.Text, own?.UpdatedAt));
    }

    internal static async Task<Results<Ok<RoomRulesView>, ProblemHttpResult>> SetRules(
        string room, SetRoomRules request, HttpContext context, ChatService chat, IRoomRulesStore rules, ModerationActions actions,
        IConfiguration configuration, TimeProvider time, CancellationToken ct)
    {
        await chat.GetRoomAsync(room, ct);
        var text = request.Text?.Trim() ?? string.Empty;
        if (text.Length > IRoomRulesStore.MaxLength)
        {
            return ChatProblems.Refusal(ErrorCodes.RulesTooLong, $"a room's rules are at most {IRoomRulesStore.MaxLength} characters ({text.Length} given)");
        }

        var actor = AuditActor.Of(context.User);
        RoomRules? stored = null;
        if (text.Length == 0)
        {
            await rules.ClearAsync(room, ct);
        }
        else
        {
            stored = new RoomRules(room, text, actor, time.GetUtcNow());
            await rules.SetAsync(stored, ct);
        }

        await actions.AuditAsync(actor, SetRulesAction, room, null, null, text.Length == 0 ? "rules cleared" : "rules changed",
            $"{text.Length} characters", ct);
        return TypedResults.Ok(new RoomRulesView(room, ServerRules(configuration), stored?.Text, stored?.UpdatedAt));
    }

    /// <summary>The server's rules as the policy model reads them (same key, same default).</summary>
    internal static string ServerRules(IConfiguration configuration) =>
        configuration[WrittenRules.ConfigurationKey] is { Length: > 0 } configured ? configured.Trim() : WrittenRules.Default.Trim();
}

/// <summary>What <c>GET /api/rooms/{room}/rules</c> answers: the server's rules and the room's own (null when none).</summary>
public sealed record RoomRulesView(string Room, string ServerRules, string? Rules, DateTimeOffset? UpdatedAt);

/// <summary>A room's new rules; empty or missing text clears them.</summary>
public sealed record SetRoomRules(string? Text);
