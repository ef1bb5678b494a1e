namespace Chatroom.Core.Agents;

/// <summary>One problem with a definition: where (a JSON Pointer) and what.</summary>
public sealed record AgentValidationError(string Path, string Message);
