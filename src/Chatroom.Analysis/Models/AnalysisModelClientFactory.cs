using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using OllamaSharp;
using OpenAI;

namespace Chatroom.Analysis.Models;

/// <summary>
/// Builds the <see cref="IChatClient"/> a connection string asks for, the way the aichatweb template does: OllamaSharp's
/// <see cref="OllamaApiClient"/> for Ollama, the OpenAI SDK's chat client through Microsoft.Extensions.AI.OpenAI for
/// OpenAI-compatible servers, decorated once with <see cref="ChatClientBuilder"/>: logging outermost, then OpenTelemetry
/// (GenAI semconv: <c>gen_ai.client.operation.duration</c> and <c>gen_ai.client.token.usage</c>) around each model round trip.
/// The service registers each configured model once, keyed (<see cref="ModelKeys"/>). Tool calling is added per agent with <see cref="ForTools"/>, so each agent's turn limit applies to its own loop.
/// </summary>
public static class AnalysisModelClientFactory
{
    /// <summary>The ActivitySource and Meter name <c>UseOpenTelemetry</c> writes to (Microsoft.Extensions.AI's default).</summary>
    public const string TelemetrySourceName = "Experimental.Microsoft.Extensions.AI";

    public static IChatClient Create(AnalysisModelConnection connection, HttpClient http, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(http);
        return Decorate(Inner(connection, http).AsBuilder(), loggerFactory ?? NullLoggerFactory.Instance).Build();
    }

    /// <summary>
    /// The middleware every model client gets, here and in the keyed registrations
    /// (<see cref="ModelServiceCollectionExtensions.AddKeyedModelClient"/>); without a logger factory the builder takes the
    /// one from the service provider.
    /// </summary>
    internal static ChatClientBuilder Decorate(ChatClientBuilder builder, ILoggerFactory? loggerFactory = null) =>
        builder
            .UseLogging(loggerFactory)
            .UseOpenTelemetry(loggerFactory, TelemetrySourceName);

    /// <summary>
    /// The model with Microsoft.Extensions.AI's function invocation on top: the model's tool calls run (each tool checks
    /// its own arguments and answers "error: …" rather than running on bad input) and their results go back to the
    /// model, for at most <paramref name="maxTurns"/> model round trips; on the last one the tools are withdrawn so the
    /// model has to answer in words.
    /// </summary>
    public static IChatClient ForTools(IChatClient model, int maxTurns, ILoggerFactory? loggerFactory = null, Func<IChatClient, IChatClient>? inner = null) =>
        new ChatClientBuilder(inner is null ? model : inner(model))
            .UseFunctionInvocation(loggerFactory ?? NullLoggerFactory.Instance, invoker =>
            {
                invoker.MaximumIterationsPerRequest = Math.Max(1, maxTurns);
                invoker.MaximumConsecutiveErrorsPerRequest = 2;
                invoker.IncludeDetailedErrors = false;
            })
            .Build();

    /// <summary>The client for the connection's provider, without middleware.</summary>
    internal static IChatClient Inner(AnalysisModelConnection connection, HttpClient http)
    {
        if (!connection.IsOpenAi)
        {
            http.BaseAddress = connection.Endpoint;
            return new OllamaErrorCheckingClient(http, connection.Model);
        }

        var options = new OpenAIClientOptions
        {
            Endpoint = connection.Endpoint,
            Transport = new HttpClientPipelineTransport(http),
            // The caller's resilience pipeline owns retries and timeouts.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };

        // Local servers (vLLM, llama.cpp, LM Studio) take any key; the SDK insists on one.
        var key = new ApiKeyCredential(string.IsNullOrEmpty(connection.Key) ? "unused" : connection.Key);
        return new OpenAI.Chat.ChatClient(connection.Model, key, options).AsIChatClient();
    }
}
