using System.Text.Json;
using Chatroom.Analysis.Llm;
using Chatroom.Core.Agents;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using RoomMessage = Chatroom.Core.Messages.ChatMessage;
using AiMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Chatroom.Analysis.Agents;

/// <summary>
/// The last routing step: when neither a mention nor a keyword matched, the analysis model reads the message and the
/// intents of the agents that declare one, and names the agent that should take it with a confidence; below the
/// threshold, or with no model, nobody answers (keywords were the fallback already).
/// </summary>
public sealed partial class IntentRouter(AgentModelClients models, LlmMetrics metrics, IOptions<AgentOptions> options, TimeProvider time, ILogger<IntentRouter> logger)
{
    public const string Purpose = "intent";

    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {"type":"object","properties":{"agent":{"type":"string"},"confidence":{"type":"number","minimum":0,"maximum":1}},"required":["agent","confidence"],"additionalProperties":false}
        """).RootElement.Clone();

    public async Task<AgentRoute?> RouteAsync(RoomMessage message, IReadOnlyList<AgentDefinition> agents, CancellationToken cancellationToken)
    {
        var candidates = agents.Where(a => a.Enabled && a.Triggers.Intent is { Length: > 0 } && a.WorksIn(message.Room)).ToList();
        var client = models.For(Core.Agents.AgentModels.Analysis);
        if (candidates.Count == 0 || client is null)
        {
            return null;
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
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or HttpRequestException ||
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
