namespace Chatroom.Analysis.Agents.Tools;

/// <summary>
/// Where a tool runs: the room it was asked in, the agent asking and the person who asked. <see cref="RunId"/> is set
/// when a model calls the tool, so the call shows in the agent's feed under that run.
/// </summary>
public sealed record ToolContext(string Room, string Agent, string RequestedBy, string? RunId = null);
