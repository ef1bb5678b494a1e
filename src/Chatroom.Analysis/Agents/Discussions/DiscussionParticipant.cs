using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using RoomMessage = Chatroom.Core.Messages.ChatMessage;

namespace Chatroom.Analysis.Agents.Discussions;

/// <summary>
/// One agent of a discussion as an Agent Framework participant of the round-robin group chat. A turn is the agent's
/// ordinary run (<see cref="AgentRunner"/>: persona, room context, tools, streaming, posting), which reads the room log
/// rather than the history the group chat hands it: the log is the durable transcript, holds what people said in between,
/// and is what any node continuing the discussion reads.
/// </summary>
internal sealed class DiscussionParticipant(string name, string? description, Func<CancellationToken, Task<RoomMessage?>> takeTurn) : AIAgent
{
    private static readonly JsonElement Empty = JsonDocument.Parse("{}").RootElement;

    public override string Name => name;

    public override string? Description => description;

    protected override string IdCore => "discussion-" + name;

    protected override async Task<AgentResponse> RunCoreAsync(
        IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        var reply = await takeTurn(cancellationToken);
        return new AgentResponse(new ChatMessage(ChatRole.Assistant, reply?.Text ?? string.Empty) { AuthorName = name, MessageId = reply?.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            AgentId = Id,
        };
    }

    protected override async IAsyncEnumerable<AgentResponseUpdate> RunCoreStreamingAsync(
        IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The reply streams to the room as agentDelta events inside the turn; the group chat gets it whole.
        foreach (var update in (await RunCoreAsync(messages, session, options, cancellationToken)).ToAgentResponseUpdates())
        {
            yield return update;
        }
    }

    protected override ValueTask<AgentSession> CreateSessionCoreAsync(CancellationToken cancellationToken = default) => new(new Session());

    protected override ValueTask<JsonElement> SerializeSessionCoreAsync(
        AgentSession session, JsonSerializerOptions? jsonSerializerOptions = null, CancellationToken cancellationToken = default) =>
        new(Empty);

    protected override ValueTask<AgentSession> DeserializeSessionCoreAsync(
        JsonElement serializedState, JsonSerializerOptions? jsonSerializerOptions = null, CancellationToken cancellationToken = default) =>
        new(new Session());

    /// <summary>Holds nothing: the room log is the conversation.</summary>
    private sealed class Session : AgentSession;
}
