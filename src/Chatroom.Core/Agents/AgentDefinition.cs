namespace Chatroom.Core.Agents;

/// <summary>An agent as data (docs/agent.schema.json): who it is, what wakes it, where, with which tools and limits.</summary>
public sealed record AgentDefinition
{
    public required string Name { get; init; }

    public string Description { get; init; } = string.Empty;

    /// <summary>The system prompt.</summary>
    public string Persona { get; init; } = string.Empty;

    /// <summary><c>analysis</c> (the small model) or <c>reasoning</c> (the large one).</summary>
    public string Model { get; init; } = AgentModels.Reasoning;

    public AgentTriggers Triggers { get; init; } = new();

    /// <summary>Rooms the agent works in; empty means every room.</summary>
    public IReadOnlyList<string> Rooms { get; init; } = [];

    /// <summary>Tools the agent may call (<see cref="AgentTools"/>).</summary>
    public IReadOnlyList<string> Tools { get; init; } = [];

    public AgentLimits Limits { get; init; } = new();

    public double Temperature { get; init; } = 0.7;

    public bool Enabled { get; init; } = true;

    public bool WorksIn(string room) => Rooms.Count == 0 || Rooms.Contains(room, StringComparer.Ordinal);
}

/// <summary>What wakes an agent: a mention (<c>@name</c>), keywords, a direct message, or an intent the analysis model recognises.</summary>
public sealed record AgentTriggers
{
    public bool Mention { get; init; } = true;

    public IReadOnlyList<string> Keywords { get; init; } = [];

    public bool Direct { get; init; }

    /// <summary>A short description of requests this agent should take, for intent routing.</summary>
    public string? Intent { get; init; }
}

public sealed record AgentLimits
{
    /// <summary>Most completion tokens per reply.</summary>
    public int MaxTokens { get; init; } = 512;

    /// <summary>Most agent turns in a chain (agents answering agents) and tool rounds per reply.</summary>
    public int MaxTurns { get; init; } = 3;

    public int RepliesPerMinute { get; init; } = 6;
}

public static class AgentModels
{
    public const string Analysis = "analysis";
    public const string Reasoning = "reasoning";
}

/// <summary>The tools agents may be given.</summary>
public static class AgentTools
{
    public const string CreateRoom = "create_room";
    public const string ListRooms = "list_rooms";
    public const string WatchTopic = "watch_topic";
    public const string SummarizeRoom = "summarize_room";
    public const string SearchKnowledge = "search_knowledge";

    public static IReadOnlyList<string> All { get; } = [CreateRoom, ListRooms, WatchTopic, SummarizeRoom, SearchKnowledge];
}
