namespace Chatroom.Analysis.Agents.Routing;

/// <summary>A request read as a tool call (or <see cref="CommandReader.Help"/>), with the arguments found in it.</summary>
public sealed record ReadCommand(string Intent, Dictionary<string, object?> Arguments);
