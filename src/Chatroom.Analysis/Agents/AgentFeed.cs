using System.Text.Json;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;

namespace Chatroom.Analysis.Agents;

/// <summary>
/// One step of an agent run for the live debugging feed: <c>trigger</c>, <c>prompt</c> (size), <c>tool</c> (arguments and
/// result), <c>reply</c> (tokens, latency), <c>refused</c> (rate limit, turn limit) or <c>error</c>.
/// </summary>
public sealed record AgentFeedEvent(string Agent, string RunId, string Kind, DateTimeOffset At, string? Room, JsonElement Data);

/// <summary>Publishes agent run steps on the bus's global channel, where the API's feed endpoint picks them up on any node.</summary>
public sealed class AgentFeed(IChatBus bus, TimeProvider time)
{
    public const string EventType = "agentEvent";

    public ValueTask PublishAsync(string agent, string runId, string kind, string? room, object data, CancellationToken cancellationToken) =>
        bus.PublishAsync(new ChatEvent(EventType, null,
            ChatJson.ToElement(new AgentFeedEvent(agent, runId, kind, time.GetUtcNow(), room, ChatJson.ToElement(data)))), cancellationToken);
}
