using Chatroom.Analysis.Knowledge;
using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Chatroom.Core.GuardianCases;
using Chatroom.ServiceDefaults.Auth;
using Chatroom.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Guardian;

/// <summary><c>POST /api/analysis/guardian/score</c>: the guardian scorer on a transcript, for evaluation, tuning and tests.</summary>
public static class GuardianScoreApi
{
    /// <summary>Most people one transcript may name (a pair or a small private room).</summary>
    public const int MaxParticipants = 20;

    public static RouteGroupBuilder MapGuardianScoreApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/analysis/guardian").WithTags("Analysis").RequireAuthorization(ChatAuthExtensions.AdminPolicy);
        group.MapPost("/score", Score).WithName("ScoreGuardianTranscript")
            .WithSummary("Scores a conversation for grooming signals: {participants: [{id, age}], messages: [{from, text, sentAt}]} → {score, signals, wouldOpenCase}.");
        return group;
    }

    internal static async Task<Results<Ok<GuardianScore>, ProblemHttpResult>> Score(
        GuardianTranscript request, GuardianScorer scorer, IGuardianSettingsStore settings, IOptions<ChatOptions> chat,
        IOptionsMonitor<GuardianOptions> options, CancellationToken ct)
    {
        if (Problem(request, chat.Value.MaxMessageLength, options.CurrentValue.MaxTranscriptMessages) is { } problem)
        {
            return ChatProblems.Refusal(ErrorCodes.InvalidRequest, problem);
        }

        try
        {
            // wouldOpenCase answers for the threshold the monitor uses now: an admin's, else the configured one.
            var threshold = options.CurrentValue.With(await settings.GetAsync(ct)).Threshold ?? scorer.Model.Threshold;
            return TypedResults.Ok(await scorer.ScoreAsync(request, threshold, ct));
        }
        catch (EmbeddingUnavailableException e)
        {
            return ChatProblems.Refusal(ErrorCodes.BackendUnavailable, e.Message);
        }
    }

    private static string? Problem(GuardianTranscript request, int maxLength, int maxMessages)
    {
        if (request.Participants is not { Count: > 0 and <= MaxParticipants } participants)
        {
            return $"\"participants\" holds 1-{MaxParticipants} people";
        }

        if (participants.Any(p => string.IsNullOrWhiteSpace(p?.Id) || p.Age is < 0 or > 130)
            || participants.Select(p => p.Id).Distinct(StringComparer.Ordinal).Count() != participants.Count)
        {
            return "each participant has a unique id and an age of 0-130 (or none: an adult)";
        }

        if (request.Messages is not { Count: > 0 } messages || messages.Count > maxMessages)
        {
            return $"\"messages\" holds 1-{maxMessages} messages";
        }

        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not { } message || participants.All(p => p.Id != message.From))
            {
                return $"message {i} is from someone not in \"participants\"";
            }

            if (string.IsNullOrWhiteSpace(message.Text) || ChatService.CountCharacters(message.Text) > maxLength)
            {
                return $"message {i} is empty or longer than {maxLength} characters";
            }
        }

        return null;
    }
}
