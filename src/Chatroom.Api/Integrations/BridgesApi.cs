using Chatroom.Core.Bridges;
using Chatroom.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatroom.Api.Integrations;

/// <summary>
/// <c>GET /api/admin/bridges</c>: each bridge's state as its holder last reported it (the analysis service carries the
/// bridges), checked against the lease: a bridge nobody holds now is in standby, whatever its last holder said.
/// </summary>
public static class BridgesApi
{
    public static RouteGroupBuilder MapBridgesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin/bridges").WithTags("Integrations").RequireAuthorization(ChatAuthExtensions.AdminPolicy);
        group.MapGet("/", List).WithName("ListBridges")
            .WithSummary("The configured bridges: URL (never a secret), state, holding node, connected since, last error, counters in/out/dropped.");
        return group;
    }

    internal static async Task<Ok<IReadOnlyList<BridgeStatus>>> List(IBridgeStore store, CancellationToken ct)
    {
        var statuses = await store.ListStatusesAsync(ct);
        var holders = await Task.WhenAll(statuses.Select(s => store.GetHolderAsync(s.Name, ct)));
        return TypedResults.Ok<IReadOnlyList<BridgeStatus>>([.. statuses.Select((s, i) => holders[i] is { } holder
            ? s with { Holder = holder }
            : s with { State = BridgeStates.Standby, Holder = null, ConnectedSince = null })]);
    }
}
