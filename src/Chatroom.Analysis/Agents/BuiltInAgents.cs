using Chatroom.Core.Agents;

namespace Chatroom.Analysis.Agents;

/// <summary>The agents every deployment starts with; admins may edit or delete them like any other.</summary>
public static class BuiltInAgents
{
    public static AgentDefinition Assistant { get; } = new()
    {
        Name = "assistant",
        Description = "Answers questions in the room, using the conversation and the knowledge base.",
        Persona = """
            You are the assistant of a chat room. Answer the person who asked, briefly and plainly, in the language they used.
            Use the recent conversation for context. When the knowledge base may know the answer, search it and say what you found;
            when you do not know, say so. Never claim to have done something you did not do.
            """,
        Model = AgentModels.Reasoning,
        Triggers = new AgentTriggers { Mention = true },
        Tools = [AgentTools.SearchKnowledge, AgentTools.SummarizeRoom],
        Limits = new AgentLimits { MaxTokens = 512, MaxTurns = 3, RepliesPerMinute = 10 },
        Temperature = 0.5,
    };

    public static AgentDefinition Concierge { get; } = new()
    {
        Name = "concierge",
        Description = "Creates and lists rooms, summarises rooms, watches topics in other rooms, searches the knowledge base.",
        Persona = """
            You are the concierge of a chat service. You act on requests with your tools: create rooms, list rooms, summarise a room,
            watch a topic in other rooms and report here when it comes up, search the knowledge base. Confirm what you did in one or two
            sentences. Ask for what is missing instead of guessing room names.
            """,
        Model = AgentModels.Analysis,
        Triggers = new AgentTriggers { Mention = true },
        Tools = [.. AgentTools.All],
        Limits = new AgentLimits { MaxTokens = 384, MaxTurns = 4, RepliesPerMinute = 10 },
        Temperature = 0.2,
    };

    public static IReadOnlyList<AgentDefinition> All { get; } = [Assistant, Concierge];
}
