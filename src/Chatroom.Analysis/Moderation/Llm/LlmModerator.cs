using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Chatroom.Analysis.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace Chatroom.Analysis.Moderation.Llm;

/// <summary>
/// The LLM tier: classifies several messages per request with a few preceding room messages as context, asks for
/// structured output (a JSON schema), and wraps calls in a timeout, retries and a circuit breaker. It never throws
/// for model trouble: a message it could not classify comes back as null and the embedded verdict stands.
/// </summary>
public sealed partial class LlmModerator
{
    public const string Purpose = "moderation";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IChatClient _client;
    private readonly LlmModeratorOptions _options;
    private readonly LlmMetrics _metrics;
    private readonly ILogger<LlmModerator> _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly string _model;

    public LlmModerator([FromKeyedServices(ModelKeys.Analysis)] IChatClient client, IOptions<LlmModeratorOptions> options, LlmMetrics metrics, ILogger<LlmModerator> logger, TimeProvider? timeProvider = null)
    {
        _client = client;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _model = client.GetService<ChatClientMetadata>()?.DefaultModelId ?? "unknown";
        _pipeline = LlmResilience.Build(_options, _circuit, timeProvider ?? TimeProvider.System);
    }

    public string Model => _model;

    /// <summary>Whether the circuit breaker is open (or half-open, trying one request): the model is not being asked.</summary>
    public bool CircuitOpen => _circuit.CircuitState is not CircuitState.Closed;

    /// <summary>Classifies <paramref name="texts"/>; the result has one entry per text, null where the model gave no usable answer.</summary>
    public async Task<IReadOnlyList<ModerationVerdict?>> ClassifyAsync(IReadOnlyList<string> texts, IReadOnlyList<string> context, CancellationToken cancellationToken)
    {
        var results = new ModerationVerdict?[texts.Count];
        var recent = context.Count > _options.ContextMessages ? context.Skip(context.Count - _options.ContextMessages).ToList() : context;
        for (var offset = 0; offset < texts.Count; offset += _options.BatchSize)
        {
            var batch = texts.Skip(offset).Take(_options.BatchSize).ToList();
            var verdicts = await ClassifyBatchAsync(batch, recent, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                results[offset + i] = verdicts?[i];
            }
        }

        return results;
    }

    private async Task<ModerationVerdict?[]?> ClassifyBatchAsync(List<string> batch, IReadOnlyList<string> context, CancellationToken cancellationToken)
    {
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, LlmModerationPrompt.System),
            new(ChatRole.User, LlmModerationPrompt.User(batch, context)),
        };
        var chatOptions = new ChatOptions
        {
            Temperature = 0,
            MaxOutputTokens = _options.MaxOutputTokens,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(LlmModerationPrompt.Schema, "moderation_verdicts", "One verdict per numbered message."),
        };

        var started = Stopwatch.GetTimestamp();
        try
        {
            var verdicts = await _pipeline.ExecuteAsync(
                async token =>
                {
                    var response = await _client.GetResponseAsync(messages, chatOptions, token).ConfigureAwait(false);
                    _metrics.Tokens(response.ModelId ?? _model, Purpose, response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0);
                    return LlmModerationPrompt.Parse(response.Text, batch.Count, response.ModelId ?? _model);
                },
                cancellationToken).ConfigureAwait(false);
            _metrics.Request(_model, Purpose, "success", Stopwatch.GetElapsedTime(started));
            return verdicts;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (BrokenCircuitException)
        {
            _metrics.Request(_model, Purpose, "circuit_open", Stopwatch.GetElapsedTime(started));
            LogCircuitOpen(_logger, _model);
            return null;
        }
        catch (Exception ex) when (LlmResilience.IsModelFailure(ex))
        {
            _metrics.Request(_model, Purpose, LlmResilience.Outcome(ex), Stopwatch.GetElapsedTime(started));
            LogFailed(_logger, _model, batch.Count, ex.GetType().Name, ex);
            return null;
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "LLM moderation with {Model} failed for {Count} messages ({Error}); embedded verdicts stand")]
    private static partial void LogFailed(ILogger logger, string model, int count, string error, Exception exception);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "LLM moderation circuit for {Model} is open; embedded verdicts stand")]
    private static partial void LogCircuitOpen(ILogger logger, string model);
}
