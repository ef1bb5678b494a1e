using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Chatroom.ServiceDefaults.Auth;
using Chatroom.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Moderation;

/// <summary><c>{"text": …}</c> or <c>{"texts": […]}</c>; <c>policy</c> (never | whenUncertain | always) overrides the global LLM policy.</summary>
public sealed record ClassifyRequest(string? Text, IReadOnlyList<string>? Texts, LlmPolicy? Policy);

public static class ClassifyApi
{
    /// <summary>Most texts one request may classify.</summary>
    public const int MaxTexts = 100;

    public static RouteGroupBuilder MapClassifyApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/analysis").WithTags("Analysis").RequireAuthorization(ChatAuthExtensions.AdminPolicy);
        group.MapPost("/classify", Classify).WithName("Classify")
            .WithSummary("Classifies one text (→ a verdict) or several (→ verdicts in the same order), for testing policy and for evaluation.");
        return group;
    }

    internal static async Task<Results<Ok<ModerationVerdict>, Ok<IReadOnlyList<ModerationVerdict>>, ProblemHttpResult>> Classify(
        ClassifyRequest request, ModerationCascade cascade, IOptions<ChatOptions> chat, CancellationToken ct)
    {
        if ((request.Text is null) == (request.Texts is null))
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, "send either \"text\" or \"texts\"");
        }

        var texts = request.Texts ?? [request.Text!];
        if (texts.Count is 0 or > MaxTexts)
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, $"\"texts\" holds 1-{MaxTexts} strings");
        }

        var max = chat.Value.MaxMessageLength;
        for (var i = 0; i < texts.Count; i++)
        {
            if (texts[i] is null || ChatService.CountCharacters(texts[i]) > max)
            {
                return ChatProblems.Refusal(ErrorCodes.TextTooLong, $"text {i} is missing or longer than {max} characters");
            }
        }

        var verdicts = await cascade.ClassifyAsync(texts, null, request.Policy, ct);
        return request.Text is not null ? TypedResults.Ok(verdicts[0]) : TypedResults.Ok(verdicts);
    }
}
