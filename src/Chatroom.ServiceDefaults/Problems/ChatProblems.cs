using Chatroom.Core.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Chatroom.ServiceDefaults.Problems;

/// <summary>RFC 7807 problem+json carrying the same stable codes as hub refusals.</summary>
public static class ChatProblems
{
    public static int StatusFor(string code) => code switch
    {
        ErrorCodes.UnknownRoom or ErrorCodes.NotFound or ErrorCodes.NoRequest => StatusCodes.Status404NotFound,
        ErrorCodes.RoomExists or ErrorCodes.AgentExists or ErrorCodes.UserNameTaken or ErrorCodes.TwoFactorNotEnabled
            or ErrorCodes.TwoFactorAlreadyEnabled or ErrorCodes.AuthenticatorNotEnrolled => StatusCodes.Status409Conflict,
        ErrorCodes.Unauthorized or ErrorCodes.InvalidPassword or ErrorCodes.InvalidCredentials or ErrorCodes.InvalidTwoFactorTicket
            or ErrorCodes.InvalidTwoFactorCode or ErrorCodes.TwoFactorCodeReused or ErrorCodes.InvalidRefreshToken
            or ErrorCodes.RefreshTokenReused or ErrorCodes.InvalidBotToken => StatusCodes.Status401Unauthorized,
        ErrorCodes.Forbidden or ErrorCodes.Banned or ErrorCodes.Muted or ErrorCodes.RoomLocked or ErrorCodes.NotMember
            or ErrorCodes.AdminDisabled or ErrorCodes.AccountDisabled or ErrorCodes.AccountBanned or ErrorCodes.EmailNotConfirmed
            or ErrorCodes.AccountRequired or ErrorCodes.GuestsDisabled or ErrorCodes.GuestsReadOnly or ErrorCodes.TwoFactorRequired
            or ErrorCodes.SignedOut or ErrorCodes.NotYourMessage or ErrorCodes.GuardianConsentRequired or ErrorCodes.BirthDateLocked or ErrorCodes.ConsentOwnAccount
            or ErrorCodes.GuardianSecondFactorRequired or ErrorCodes.GuardianNotAdult or ErrorCodes.RecipientUnavailable or ErrorCodes.UserBlocked
            or ErrorCodes.RequestDeclined or ErrorCodes.NotOwner or ErrorCodes.DirectMessagesOff or ErrorCodes.BotRoomNotAllowed
            or ErrorCodes.BotScopeMissing or ErrorCodes.BotRevoked => StatusCodes.Status403Forbidden,
        ErrorCodes.ConsentInvalid => StatusCodes.Status404NotFound,
        ErrorCodes.ConsentUsed or ErrorCodes.ConsentExpired => StatusCodes.Status410Gone,
        ErrorCodes.GuardianNotNeeded => StatusCodes.Status409Conflict,
        ErrorCodes.RateLimited or ErrorCodes.SlowMode or ErrorCodes.TooManyConnections
            or ErrorCodes.AccountLocked => StatusCodes.Status429TooManyRequests,
        ErrorCodes.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.BackendUnavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.StorageFull => StatusCodes.Status507InsufficientStorage,
        ErrorCodes.TooManyRooms or ErrorCodes.AppealExists or ErrorCodes.NothingToAppeal or ErrorCodes.RoomFull
            or ErrorCodes.WebhookDisabled or ErrorCodes.LoopDetected => StatusCodes.Status409Conflict,
        ErrorCodes.RequestPending => StatusCodes.Status429TooManyRequests,
        ErrorCodes.IdempotencyKeyReused => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status400BadRequest,
    };

    public static ProblemDetails Create(string code, string detail, int? status = null) => new()
    {
        Type = $"https://chatroom.dev/errors/{code}",
        Title = code.Replace('_', ' '),
        Status = status ?? StatusFor(code),
        Detail = detail,
        Extensions = { ["code"] = code },
    };

    /// <summary>A minimal-API result for a refusal.</summary>
    public static ProblemHttpResult Refusal(string code, string detail) => TypedResults.Problem(Create(code, detail));

    public static ProblemHttpResult Refusal(ChatException refusal) => Refusal(refusal.Code, refusal.Message);

    public static async Task WriteAsync(HttpContext context, string code, string detail, TimeSpan? retryAfter = null)
    {
        var problem = Create(code, detail);
        context.Response.StatusCode = problem.Status!.Value;
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", context.RequestAborted);
    }
}
