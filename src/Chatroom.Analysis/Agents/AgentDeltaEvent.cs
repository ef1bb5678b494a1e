namespace Chatroom.Analysis.Agents;

/// <summary>
/// The payload of <c>agentDelta</c>: text an agent generated since the previous delta of the same run. The final
/// reply arrives as a normal <c>message</c> whose <c>clientMessageId</c> is <c>agent-&lt;runId&gt;</c>.
/// </summary>
public sealed record AgentDeltaEvent(string Room, string Agent, string RunId, string Delta);
