using System.Text.Json;
using Chatroom.Core.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Chatroom.ServiceDefaults.Problems;

/// <summary>Turns refusals (<see cref="Refusals"/>, backend outages among them) and malformed requests into problem+json with their stable code.</summary>
internal sealed class ChatExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (Refusals.From(exception) is { } refusal)
        {
            await ChatProblems.WriteAsync(context, refusal.Code, refusal.Message, refusal.RetryAfter);
            return true;
        }

        switch (exception)
        {
            case BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge:
                await ChatProblems.WriteAsync(context, ErrorCodes.PayloadTooLarge, "the request body is too large");
                return true;
            case BadHttpRequestException bad:
                await ChatProblems.WriteAsync(context, ErrorCodes.InvalidRequest, Describe(bad));
                return true;
            default:
                return false;
        }
    }

    private static string Describe(BadHttpRequestException bad) => bad.InnerException is JsonException
        ? "the request body is not valid JSON of the expected shape"
        : bad.Message;
}
