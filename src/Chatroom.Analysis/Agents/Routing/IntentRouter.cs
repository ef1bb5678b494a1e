using System.Text.Json;
using Chatroom.Analysis.Models;
using Chatroom.Core.Agents;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using RoomMessage = Chatroom.Core.Messages.ChatMessage;
using AiMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Chatroom.Analysis.Agents.Routing;

/// <summary>
/// The last routing step: when neither a mention nor a keyword matched, the analysis model reads the message and the
/// intents of the agents that declare one, and names the agent that should take it with a confidence. Without a model,
/// the confidence comes from meaning instead: the similarity of the message's sentence embedding to each agent's intent,
/// mapped linearly from [<see cref="SimilarityFloor"/>, <see cref="SimilarityCeiling"/>] onto [0, 1]. Either way, below
/// <see cref="AgentOptions.IntentThreshold"/> nobody answers.
/// </summary>
public sealed partial class IntentRouter(
    AgentModelClients models,
    SemanticMatcher matcher,
    LlmMetrics metrics,
    IOptions<AgentOptions> options,
    TimeProvider time,
    ILogger<IntentRouter> logger)
{
    public const string Purpose = "intent";

    /// <summary>Similarity of unrelated chat to an intent (all-MiniLM-L6-v2; measured in docs/agents.md): confidence 0.</summary>
    public const double SimilarityFloor = 0.15;

    /// <summary>Similarity of a plain request to its intent description: confidence 1.</summary>
    public const double SimilarityCeiling = 0.4;

    /// <summary>The confidence a similarity stands for.</summary>
    public static double Confidence(double similarity) =>
        Math.Round(Math.Clamp((similarity - SimilarityFloor) / (SimilarityCeiling - SimilarityFloor), 0, 1), 4);

    /// <summary>
    /// Routes by meaning alone: the agent whose intent (or description) is most similar to the message, when that
    /// similarity's confidence reaches the threshold.
    /// </summary>
    public async Task<(AgentDefinition Agent, double Confidence)?> RouteByMeaningAsync(RoomMessage message, IReadOnlyList<AgentDefinition> candidates, CancellationToken cancellationToken)
    {
        var labels = candidates.SelectMany(a => new[] { a.Triggers.Intent!, a.Description }).ToList();
        var scores = await matcher.ScoreAsync(message.Text, labels.Select(l => string.IsNullOrWhiteSpace(l) ? "-" : l).ToList(), cancellationToken);
        if (scores is null || scores.Length == 0)
        {
            return null;
        }

        var perAgent = candidates.Select((a, i) => (Agent: a, Similarity: Math.Max(scores[2 * i], string.IsNullOrWhiteSpace(a.Description) ? 0 : scores[2 * i + 1]))).ToList();
        var best = perAgent.MaxBy(x => x.Similarity);
        var confidence = Confidence(best.Similarity);
        LogRoutedByMeaning(logger, message.Room, message.Id, best.Agent.Name, best.Similarity, confidence);
        return confidence >= options.Value.IntentThreshold ? (best.Agent, confidence) : null;
    }

    [LoggerMessage(EventId = 5402, Level = LogLevel.Debug, Message = "Intent by meaning for {Room}/{Id}: best {Agent}, similarity {Similarity}, confidence {Confidence}")]
    private static partial void LogRoutedByMeaning(ILogger logger, string room, long id, string agent, double similarity, double confidence);

    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {"type":"object","properties":{"agent":{"type":"string"},"confidence":{"type":"number","minimum":0,"maximum":1}},"required":["agent","confidence"],"additionalProperties":false}
        """).RootElement.Clone();

    public async Task<AgentRoute?> RouteAsync(RoomMessage message, IReadOnlyList<AgentDefinition> agents, CancellationToken cancellationToken)
    {
        var candidates = agents.Where(a => a.Enabled && a.Triggers.Intent is { Length: > 0 } && a.WorksIn(message.Room)).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var client = models.For(Core.Agents.AgentModels.Analysis);
        if (client is null)
        {
            return await RouteByMeaningAsync(message, candidates, cancellationToken) is { } byMeaning
                ? new AgentRoute(byMeaning.Agent, AgentTriggerKinds.Intent)
                : null;
        }

        var system = "You route chat messages to assistants. Decide which assistant, if any, the message is a request for. " +
                     "Assistants:\n" + string.Join("\n", candidates.Select(a => $"- {a.Name}: {a.Triggers.Intent}")) +
                     "\nAnswer JSON {\"agent\": \"<name>\" or \"none\", \"confidence\": 0..1}. Ordinary conversation between people is \"none\".";
        var chatOptions = new ChatOptions
        {
            Temperature = 0,
            MaxOutputTokens = 60,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, "route"),
        };
        var started = time.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.IntentTimeout);
        var model = client.GetService<ChatClientMetadata>()?.DefaultModelId ?? "unknown";
        try
        {
            var response = await client.GetResponseAsync([new AiMessage(ChatRole.System, system), new AiMessage(ChatRole.User, $"{message.AuthorName}: {message.Text}")],
                chatOptions, timeout.Token);
            metrics.Request(model, Purpose, "success", time.GetElapsedTime(started));
            metrics.Tokens(model, Purpose, response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0);
            using var answer = JsonDocument.Parse(response.Text);
            var name = answer.RootElement.GetProperty("agent").GetString();
            var confidence = answer.RootElement.GetProperty("confidence").GetDouble();
            return candidates.FirstOrDefault(a => a.Name == name) is { } agent && confidence >= options.Value.IntentThreshold
                ? new AgentRoute(agent, AgentTriggerKinds.Intent)
                : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or HttpRequestException or OllamaSharp.Models.Exceptions.OllamaException ||
                                  (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            metrics.Request(model, Purpose, "failure", time.GetElapsedTime(started));
            LogIntentFailed(logger, e, message.Room, message.Id);
            return null;
        }
    }

    [LoggerMessage(EventId = 5401, Level = LogLevel.Warning, Message = "Intent routing of {Room}/{Id} failed; the message stays unrouted")]
    private static partial void LogIntentFailed(ILogger logger, Exception exception, string room, long id);
}
