using Chatroom.Core.Errors;
using Chatroom.ServiceDefaults.Auth;
using Chatroom.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatroom.Analysis.Knowledge;

/// <summary>A document to learn: plain text or Markdown.</summary>
public sealed record AddDocument(string? Title, string? Text);

/// <summary><c>/api/knowledge</c>: add documents (admins), search them (everyone signed in).</summary>
public static class KnowledgeApi
{
    public const int MaxTitleLength = 200;
    /// <summary>Kept under the API's 64 KiB body limit (Chatroom:Api:MaxRequestBodyBytes).</summary>
    public const int MaxTextLength = 50_000;

    public static RouteGroupBuilder MapKnowledgeApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/knowledge").WithTags("Knowledge").RequireAuthorization();
        group.MapPost("/", Add).WithName("AddKnowledge").WithSummary("Adds a text or Markdown document: chunked, embedded, stored.")
            .RequireAuthorization(ChatAuthExtensions.AdminPolicy);
        group.MapGet("/search", Search).WithName("SearchKnowledge").WithSummary("The passages best matching ?q= (k results, default 5).");
        return group;
    }

    internal static async Task<Results<Created<KnowledgeDocument>, ProblemHttpResult>> Add(AddDocument request, IKnowledgeBase knowledge, ILogger<KnowledgeBase> logger, CancellationToken ct)
    {
        var title = request.Title?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > MaxTitleLength)
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, $"a title of 1-{MaxTitleLength} characters is required");
        }

        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > MaxTextLength)
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, $"text of 1-{MaxTextLength} characters is required");
        }

        try
        {
            var document = await knowledge.AddAsync(title, request.Text, ct);
            return TypedResults.Created($"/api/knowledge/{document.Id}", document);
        }
        catch (KnowledgeLimitException ex)
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, ex.Message);
        }
        catch (KnowledgeBackendException ex)
        {
            logger.LogKnowledgeBackendFailed(ex);
            return ChatProblems.Refusal(ErrorCodes.BackendUnavailable, "the knowledge base's embedding model or vector store is unavailable");
        }
    }

    internal static async Task<Results<Ok<IReadOnlyList<KnowledgeHit>>, ProblemHttpResult>> Search(string? q, int? k, IKnowledgeBase knowledge, ILogger<KnowledgeBase> logger, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(q) || q.Length > 500 || k is < 1 or > 20)
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, "q is 1-500 characters and k 1-20");
        }

        try
        {
            return TypedResults.Ok(await knowledge.SearchAsync(q, k ?? 5, ct));
        }
        catch (KnowledgeBackendException ex)
        {
            logger.LogKnowledgeBackendFailed(ex);
            return ChatProblems.Refusal(ErrorCodes.BackendUnavailable, "the knowledge base's embedding model or vector store is unavailable");
        }
    }
}
