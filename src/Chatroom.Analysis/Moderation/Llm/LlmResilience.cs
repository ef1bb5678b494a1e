using OllamaSharp.Models.Exceptions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Chatroom.Analysis.Moderation.Llm;

/// <summary>The moderation models' Polly pipeline (total timeout → retry → circuit breaker → attempt timeout) and the failures it treats as model trouble.</summary>
internal static class LlmResilience
{
    /// <summary>Failures that mean "the model gave no usable answer": logged and counted, never thrown to the cascade.</summary>
    public static bool IsModelFailure(Exception ex) =>
        ex is HttpRequestException or TimeoutRejectedException or System.Text.Json.JsonException or InvalidOperationException or InvalidDataException
            or IOException or OperationCanceledException or System.ClientModel.ClientResultException or OllamaException;

    /// <summary>The <c>outcome</c> tag of <c>chatroom.llm.requests</c> for a failure that <see cref="IsModelFailure"/> accepts, or an open circuit.</summary>
    public static string Outcome(Exception ex) =>
        ex is BrokenCircuitException ? "circuit_open" : ex is TimeoutRejectedException or OperationCanceledException ? "timeout" : "error";

    public static ResiliencePipeline Build(LlmModeratorOptions options, CircuitBreakerStateProvider circuit, TimeProvider timeProvider)
    {
        var transient = new PredicateBuilder()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .Handle<System.Text.Json.JsonException>()
            .Handle<InvalidDataException>()
            .Handle<IOException>()
            .Handle<System.ClientModel.ClientResultException>()
            // The model failed while generating (Ollama's error object inside a 200); Ollama's 400s are not worth a retry.
            .Handle<ResponseError>();

        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddTimeout(options.TotalTimeout);
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            });
        }

        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakDuration,
                StateProvider = circuit,
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }
}
