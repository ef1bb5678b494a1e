using Microsoft.Extensions.DependencyInjection;

namespace Chatroom.ServiceDefaults.Http;

public static class ChatHttpClientBuilderExtensions
{
    /// <summary>
    /// Takes a client out of the standard resilience handler that <c>AddServiceDefaults</c> gives every HttpClient: for
    /// clients whose caller owns timeouts and retries (long LLM generations, per-request knowledge timeouts), where the
    /// handler's 10 s attempt timeout and retries would cut or repeat work.
    /// </summary>
    public static IHttpClientBuilder WithoutStandardResilience(this IHttpClientBuilder builder)
    {
        // Microsoft.Extensions.Http.Resilience marks its one way to undo ConfigureHttpClientDefaults as evaluation-only
        // (EXTEXP0001); it is suppressed here, in one place, rather than repo-wide.
#pragma warning disable EXTEXP0001
        return builder.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }
}
