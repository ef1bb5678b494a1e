namespace Chatroom.Analysis.Agents.Tools;

/// <summary>The <c>roomCreated</c> event: the new room, its topic, the agent that made it and who asked.</summary>
public sealed record RoomCreatedEvent(string Name, string? Topic, string CreatedBy, string RequestedBy);
