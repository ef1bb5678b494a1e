using System.Diagnostics;
using Chatroom.Analysis.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace Chatroom.Analysis.Moderation.Llm;

/// <summary>
/// The safety judge: a safety classifier model (Llama Guard 3 by default, Granite Guardian or ShieldGemma) asked about
/// each escalated message in its own prompt format, under the same timeouts, retries and circuit breaker as the LLM
/// tier. It never throws for model trouble: a message it could not judge comes back null (counted as
/// <c>error</c>, <c>timeout</c>, <c>malformed</c> or <c>circuit_open</c>) and the embedded verdict stands.
/// </summary>
public sealed partial class SafetyJudge
{
    public const string Purpose = "safety";

    private readonly IChatClient _client;
    private readonly SafetyJudgeOptions _options;
    private readonly SafetyFormat _format;
    private readonly LlmMetrics _metrics;
    private readonly ILogger<SafetyJudge> _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly bool _openAi;

    public SafetyJudge(
        [FromKeyedServices(ModelKeys.Safety)] IChatClient client,
        IOptions<SafetyJudgeOptions> options,
        IOptions<LlmModeratorOptions> resilience,
        LlmMetrics metrics,
        ILogger<SafetyJudge> logger,
        TimeProvider? timeProvider = null)
    {
        _client = client;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        var metadata = client.GetService<ChatClientMetadata>();
        Model = metadata?.DefaultModelId ?? "unknown";
        _openAi = string.Equals(metadata?.ProviderName, "openai", StringComparison.OrdinalIgnoreCase);
        _format = SafetyFormat.For(_options.Format, Model, _options);
        _pipeline = LlmResilience.Build(resilience.Value, _circuit, timeProvider ?? TimeProvider.System);
    }

    public string Model { get; }

    /// <summary><c>llamaguard3</c>, <c>granite-guardian</c> or <c>shieldgemma</c>.</summary>
    public string Format => _format.Name;

    /// <summary>Whether the circuit breaker is open (or half-open): the model is not being asked.</summary>
    public bool CircuitOpen => _circuit.CircuitState is not CircuitState.Closed;

    /// <summary>Judges each text; null where the model gave no usable answer.</summary>
    public async Task<IReadOnlyList<SafetyJudgement?>> JudgeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var results = new SafetyJudgement?[texts.Count];
        using var slots = new SemaphoreSlim(_options.MaxConcurrency);
        await Task.WhenAll(texts.Select(async (text, i) => results[i] = await JudgeOneAsync(text, slots, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        return results;
    }

    private async Task<SafetyJudgement?> JudgeOneAsync(string text, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        var questions = _format.Questions(text);
        var answers = await Task.WhenAll(questions.Select(q => AskAsync(q, slots, cancellationToken))).ConfigureAwait(false);
        if (answers.Any(a => a is null))
        {
            return null;
        }

        var combined = SafetyAnswer.Combine(answers!, _options.Threshold);
        var isUnsafe = combined.UnsafeProbability >= _options.Threshold && combined.Categories.Count > 0;
        return new SafetyJudgement(isUnsafe, combined.UnsafeProbability, isUnsafe ? combined.Categories : [], Model);
    }

    private async Task<SafetyAnswer?> AskAsync(SafetyQuestion question, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        var chatOptions = new ChatOptions { Temperature = 0, MaxOutputTokens = _options.MaxOutputTokens };
        if (_openAi)
        {
            // The probability of the first token is the model's score (Llama Guard's and ShieldGemma's model cards).
            chatOptions.RawRepresentationFactory = _ => new OpenAI.Chat.ChatCompletionOptions { IncludeLogProbabilities = true, TopLogProbabilityCount = 1 };
        }

        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await _pipeline.ExecuteAsync(
                async token => await _client.GetResponseAsync(question.Messages, chatOptions, token).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            _metrics.Tokens(Model, Purpose, response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0);
            try
            {
                var answer = _format.Parse(question, response.Text, FirstTokenProbability(response));
                _metrics.Request(Model, Purpose, "success", Stopwatch.GetElapsedTime(started));
                return answer;
            }
            catch (InvalidDataException ex)
            {
                // A malformed answer at temperature 0 comes back the same when asked again: no retry.
                _metrics.Request(Model, Purpose, "malformed", Stopwatch.GetElapsedTime(started));
                LogMalformed(_logger, Model, _format.Name, question.Risk ?? "-", ex.Message);
                return null;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (BrokenCircuitException)
        {
            _metrics.Request(Model, Purpose, "circuit_open", Stopwatch.GetElapsedTime(started));
            LogCircuitOpen(_logger, Model);
            return null;
        }
        catch (Exception ex) when (LlmResilience.IsModelFailure(ex))
        {
            _metrics.Request(Model, Purpose, LlmResilience.Outcome(ex), Stopwatch.GetElapsedTime(started));
            LogFailed(_logger, Model, ex.GetType().Name, ex);
            return null;
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>The probability of the answer's first token, when an OpenAI-compatible server returned log-probabilities.</summary>
    private static double? FirstTokenProbability(ChatResponse response) =>
        response.RawRepresentation is OpenAI.Chat.ChatCompletion { ContentTokenLogProbabilities: [var first, ..] }
            ? Math.Exp(first.LogProbability)
            : null;

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Safety judge {Model} failed ({Error}); embedded verdicts stand")]
    private static partial void LogFailed(ILogger logger, string model, string error, Exception exception);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Safety judge circuit for {Model} is open; embedded verdicts stand")]
    private static partial void LogCircuitOpen(ILogger logger, string model);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "Safety judge {Model} answered outside the {Format} format (risk {Risk}): {Problem}; the embedded verdict stands")]
    private static partial void LogMalformed(ILogger logger, string model, string format, string risk, string problem);
}
