using Chatroom.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatroom.Analysis.Models;

/// <summary><c>GET /api/analysis/models</c>: for the admin page, whether each chat model is configured and answers, and what to set when not.</summary>
public static class ModelStatusApi
{
    public static RouteGroupBuilder MapModelStatusApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/analysis").WithTags("Analysis").RequireAuthorization(ChatAuthExtensions.AdminPolicy);
        group.MapGet("/models", GetModels).WithName("GetModelStatus")
            .WithSummary("The analysis and reasoning models: configured or not, answering or not, and the configuration key to set when not.");
        return group;
    }

    internal static async Task<Ok<IReadOnlyList<ModelStatus>>> GetModels(ModelStatusProbe probe, CancellationToken ct) =>
        TypedResults.Ok(await probe.GetAsync(ct));
}
