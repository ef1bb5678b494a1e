using Chatroom.Accounts.Bots;
using Chatroom.Api.Auth;
using Chatroom.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatroom.Api.Integrations;

/// <summary>
/// Bot accounts: admins create, list, rotate and delete them (<c>/api/admin/bots</c>); a bot exchanges its token for a
/// short-lived access token (<c>POST /api/auth/bot</c>) that REST, MCP and the hub take like anyone's.
/// </summary>
public static class BotsApi
{
    public static IEndpointRouteBuilder MapBotsApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/admin/bots").WithTags("Integrations").RequireAuthorization(ChatAuthExtensions.AdminPolicy);
        admin.MapGet("/", List).WithName("ListBots").WithSummary("Lists bot accounts (never their tokens).");
        admin.MapPost("/", Create).WithName("CreateBot").WithSummary("Creates a bot; its token is in this answer and nowhere else.");
        admin.MapPost("/{id}/rotate", Rotate).WithName("RotateBot")
            .WithSummary("Gives the bot a new token; the old one and its access tokens stop working at once and its sockets close.");
        admin.MapDelete("/{id}", Delete).WithName("DeleteBot").WithSummary("Deletes the bot: its tokens are refused and its sockets close.");

        routes.MapGroup("/api/auth").WithTags("Auth").AllowAnonymous().RequireRateLimiting(AuthApi.RateLimitPolicy)
            .MapPost("/bot", SignIn).WithName("SignInBot").WithSummary("Exchanges a bot token for a short-lived access token (role bot).");
        return routes;
    }

    internal static async Task<Ok<IReadOnlyList<BotInfo>>> List(BotService bots, CancellationToken ct) =>
        TypedResults.Ok(await bots.ListAsync(ct));

    /// <summary>Refusals (invalid name, scopes or rooms) are thrown to the problem+json handler with their stable codes.</summary>
    internal static async Task<Created<IssuedBot>> Create(CreateBotRequest request, HttpContext context, BotService bots, CancellationToken ct)
    {
        var admin = context.User.ToChatIdentity()!;
        var issued = await bots.CreateAsync(request.Name, request.Scopes, request.Rooms, admin.UserId, ct);
        return TypedResults.Created($"/api/admin/bots/{issued.Bot.Id}", issued);
    }

    internal static async Task<Ok<IssuedBot>> Rotate(string id, BotService bots, CancellationToken ct) =>
        TypedResults.Ok(await bots.RotateAsync(id, ct));

    internal static async Task<NoContent> Delete(string id, BotService bots, CancellationToken ct)
    {
        await bots.DeleteAsync(id, ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Ok<BotAccess>> SignIn(BotSignIn request, BotService bots, CancellationToken ct) =>
        TypedResults.Ok(await bots.ExchangeAsync(request.Token, ct));
}
