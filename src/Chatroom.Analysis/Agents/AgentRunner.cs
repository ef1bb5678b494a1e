using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Chatroom.Analysis.Agents.Routing;
using Chatroom.Analysis.Agents.Tools;
using Chatroom.Analysis.Models;
using Chatroom.Core.Agents;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Core.Messages;
using Chatroom.ServiceDefaults.Telemetry;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using RoomMessage = Chatroom.Core.Messages.ChatMessage;
using AiMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Chatroom.Analysis.Agents;

/// <summary>
/// Runs one agent on one message: checks its rate, builds the prompt from its persona and the room, streams the reply as
/// <c>agentDelta</c> events, lets Microsoft.Extensions.AI run the tools the model calls (up to the turn limit), and posts the final text through the
/// same path as a person's message. Without a model it answers what it can without one.
/// </summary>
public sealed partial class AgentRunner(
    AgentModelClients models,
    ToolGate tools,
    NoModelResponder noModel,
    AgentFeed feed,
    ChatService chat,
    LoopGuard loops,
    IMessageLog log,
    IChatBus bus,
    LlmMetrics llmMetrics,
    IOptions<Core.Chat.ChatOptions> chatOptions,
    TimeProvider time,
    ILoggerFactory loggerFactory,
    ILogger<AgentRunner> logger)
{
    private const int ContextMessages = 12;
    private static readonly TimeSpan DeltaInterval = TimeSpan.FromMilliseconds(80);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, TokenBucket> _rates = new(StringComparer.Ordinal);

    /// <summary>The run id of an agent's reply to a message: the same on every redelivery, so the reply is stored once.</summary>
    public static string RunIdFor(string agent, RoomMessage message) => $"{agent}-{message.Room}-{message.Id}";

    /// <summary>
    /// Runs the agent on the message; returns the reply it posted, or null when it stayed quiet (over its rate, or past the
    /// hop limit). The reply is one hop beyond the message unless <paramref name="replyHop"/> says otherwise.
    /// </summary>
    public async Task<RoomMessage?> RunAsync(AgentRoute route, RoomMessage message, CancellationToken cancellationToken, string? instruction = null, int? replyHop = null)
    {
        var agent = route.Agent;
        var runId = RunIdFor(agent.Name, message);
        await feed.PublishAsync(agent.Name, runId, "trigger", message.Room,
            new { trigger = route.Trigger, messageId = message.Id, author = message.AuthorName }, cancellationToken);

        // A reply is one hop further than what it answers; past the limit the model is not even asked.
        var hop = replyHop ?? message.Hop + 1;
        if (!loops.Admits(MessageKind.Agent, hop))
        {
            await feed.PublishAsync(agent.Name, runId, "refused", message.Room, new { reason = Core.Errors.ErrorCodes.LoopDetected, hop }, cancellationToken);
            return null;
        }

        var rate = _rates.GetOrAdd(agent.Name, _ => new TokenBucket(agent.Limits.RepliesPerMinute / 60.0, agent.Limits.RepliesPerMinute, time));
        if (!rate.TryTake(out var wait))
        {
            await feed.PublishAsync(agent.Name, runId, "refused", message.Room, new { reason = "rate_limited", waitSeconds = Math.Ceiling(wait.TotalSeconds) }, cancellationToken);
            return null;
        }

        var started = time.GetTimestamp();
        var context = new ToolContext(message.Room, agent.Name, message.AuthorName);
        var request = AgentRouter.StripMention(message.Text, agent.Name);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RunTimeout);
        string reply;
        try
        {
            var client = models.For(agent.Model);
            reply = client is null
                ? await noModel.AnswerAsync(agent, request, context, timeout.Token)
                : await GenerateAsync(client, agent, message, runId, context, instruction, timeout.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRunFailed(logger, e, agent.Name, message.Room);
            await feed.PublishAsync(agent.Name, runId, "error", message.Room, new { error = e.GetType().Name, e.Message }, cancellationToken);
            reply = "I couldn't answer just now: the model did not respond in time or failed. Please try again in a moment.";
        }

        var text = Limit(string.IsNullOrWhiteSpace(reply) ? "(no answer)" : reply.Trim());
        var posted = await chat.PostAsync(new NewMessage(message.Room, AgentRouter.AuthorPrefix + agent.Name, agent.Name, MessageKind.Agent, text, "agent-" + runId, hop), cancellationToken);
        await feed.PublishAsync(agent.Name, runId, "reply", message.Room,
            new { messageId = posted.Message.Id, characters = text.Length, latencyMs = (int)time.GetElapsedTime(started).TotalMilliseconds, duplicate = posted.Duplicate },
            cancellationToken);
        return posted.Message;
    }

    private async Task<string> GenerateAsync(
        IChatClient model, AgentDefinition agent, RoomMessage message, string runId, ToolContext context, string? instruction, CancellationToken cancellationToken)
    {
        var conversation = await PromptAsync(agent, message, instruction, cancellationToken);
        var options = new Microsoft.Extensions.AI.ChatOptions
        {
            MaxOutputTokens = agent.Limits.MaxTokens,
            Temperature = (float)agent.Temperature,
            // Each call the model makes shows in the feed under this run.
            Tools = tools.Functions(agent, context with { RunId = runId }),
        };
        await feed.PublishAsync(agent.Name, runId, "prompt", message.Room,
            new { messages = conversation.Count, characters = conversation.Sum(m => m.Text.Length), tools = agent.Tools }, cancellationToken);

        // Microsoft.Extensions.AI runs the tool loop; each round trip is metered (chatroom.llm.* and gen_ai.client.*).
        var client = AnalysisModelClientFactory.ForTools(model, agent.Limits.MaxTurns, loggerFactory,
            inner => new LlmMetricsChatClient(inner, llmMetrics, "agent:" + agent.Name));
        var text = new StringBuilder();
        var pending = new StringBuilder();
        var lastDelta = time.GetTimestamp();
        var round = 0;
        var unanswered = new HashSet<string>(StringComparer.Ordinal);
        // The definition becomes a Microsoft Agent Framework agent: name, description, persona (the system message),
        // tools and limits; the chat client already carries the tool loop with this agent's turn limit, so it is used as is.
        // Traced as an invoke_agent span with the model round trips and tool calls under it.
        var aiAgent = new ChatClientAgent(client, new ChatClientAgentOptions
        {
            Name = agent.Name,
            Description = agent.Description,
            ChatOptions = options,
            UseProvidedChatClientAsIs = true,
        }, loggerFactory).AsBuilder().UseOpenTelemetry(ChatTelemetryExtensions.AgentTelemetryName).Build();
        await foreach (var update in aiAgent.RunStreamingAsync(conversation, cancellationToken: cancellationToken))
        {
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case TextContent { Text.Length: > 0 } chunk:
                        text.Append(chunk.Text);
                        pending.Append(chunk.Text);
                        break;
                    case FunctionCallContent call:
                        unanswered.Add(call.CallId);
                        break;
                    case FunctionResultContent result:
                        unanswered.Remove(result.CallId);
                        break;
                    case UsageContent usage:
                        round++;
                        await feed.PublishAsync(agent.Name, runId, "tokens", message.Room,
                            new { round, promptTokens = usage.Details.InputTokenCount ?? 0, completionTokens = usage.Details.OutputTokenCount ?? 0 }, cancellationToken);
                        break;
                }
            }

            if (pending.Length > 0 && time.GetElapsedTime(lastDelta) >= DeltaInterval)
            {
                await DeltaAsync(message.Room, agent.Name, runId, pending, cancellationToken);
                lastDelta = time.GetTimestamp();
            }
        }

        if (pending.Length > 0)
        {
            await DeltaAsync(message.Room, agent.Name, runId, pending, cancellationToken);
        }

        if (unanswered.Count == 0)
        {
            return text.ToString();
        }

        // The model still asked for tools on its last allowed round trip: those calls were not run.
        await feed.PublishAsync(agent.Name, runId, "refused", message.Room, new { reason = "turn_limit", agent.Limits.MaxTurns }, cancellationToken);
        return text.Length > 0 ? text.ToString() : "I stopped after using my tools as many times as I'm allowed; the results are above in my event feed.";
    }

    private async Task<List<AiMessage>> PromptAsync(AgentDefinition agent, RoomMessage message, string? instruction, CancellationToken cancellationToken)
    {
        var recent = await log.ReadAsync(message.Room, new MessageQuery(message.Id + 1, null, ContextMessages), cancellationToken);
        var system = $"{agent.Persona.Trim()}\n\nYou are @{agent.Name} in the chat room #{message.Room}. Reply in plain text, at most a few short paragraphs. " +
                     $"Messages are given as \"name: text\". The current time is {time.GetUtcNow():yyyy-MM-dd HH:mm} UTC." +
                     (instruction is null ? string.Empty : "\n\n" + instruction);
        var conversation = new List<AiMessage> { new(ChatRole.System, system) };
        foreach (var m in recent.Where(m => !m.Hidden))
        {
            var own = m.AuthorId == AgentRouter.AuthorPrefix + agent.Name;
            conversation.Add(new AiMessage(own ? ChatRole.Assistant : ChatRole.User, own ? m.Text : $"{m.AuthorName}: {m.Text}"));
        }

        return conversation;
    }

    private async Task DeltaAsync(string room, string agent, string runId, StringBuilder pending, CancellationToken cancellationToken)
    {
        var delta = new AgentDeltaEvent(room, agent, runId, pending.ToString());
        pending.Clear();
        await bus.PublishAsync(new ChatEvent(ChatEventTypes.AgentDelta, room, ChatJson.ToElement(delta)), cancellationToken);
    }

    private string Limit(string text)
    {
        var max = chatOptions.Value.MaxMessageLength;
        if (ChatService.CountCharacters(text) <= max)
        {
            return text;
        }

        var runes = text.EnumerateRunes().Take(max - 1);
        var builder = new StringBuilder();
        foreach (var rune in runes)
        {
            builder.Append(rune.ToString());
        }

        return builder.Append('…').ToString();
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Agent {Agent} failed to answer in {Room}")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string agent, string room);
}
