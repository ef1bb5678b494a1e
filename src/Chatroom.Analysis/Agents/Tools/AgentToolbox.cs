using System.Text.Json;
using Chatroom.Analysis.Agents.Routing;
using Chatroom.Analysis.Knowledge;
using Chatroom.Core.Agents;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Core.Messages;
using Chatroom.Core.Rooms;
using Microsoft.Extensions.AI;

namespace Chatroom.Analysis.Agents.Tools;

/// <summary>The <c>roomCreated</c> event: the new room, its topic, the agent that made it and who asked.</summary>
public sealed record RoomCreatedEvent(string Name, string? Topic, string CreatedBy, string RequestedBy);

/// <summary>Where a tool runs: the room it was asked in and the agent asking.</summary>
public sealed record ToolContext(string Room, string Agent, string RequestedBy);

/// <summary>
/// The tools agents call: declared to models with JSON schemas, and run here only after their arguments are checked.
/// A tool's result (or its refusal) is plain text the model — or, without a model, the person — can read.
/// </summary>
public sealed class AgentToolbox(
    IRoomStore rooms,
    IMessageLog log,
    ITopicWatchStore watches,
    IKnowledgeBase knowledge,
    IChatBus bus,
    TimeProvider time)
{
    public const int MaxTopicLength = 100;

    private static readonly Dictionary<string, (string Description, string Schema)> Specs = new()
    {
        [AgentTools.CreateRoom] = ("Create a chat room.", """
            {"type":"object","properties":{"name":{"type":"string","description":"lower-case letters, digits and '-', 1-64 long"},"topic":{"type":"string"}},"required":["name"],"additionalProperties":false}
            """),
        [AgentTools.ListRooms] = ("List the chat rooms.", """{"type":"object","properties":{},"additionalProperties":false}"""),
        [AgentTools.WatchTopic] = ("Tell the current room whenever a topic comes up in any other room.", """
            {"type":"object","properties":{"topic":{"type":"string","description":"a few words"}},"required":["topic"],"additionalProperties":false}
            """),
        [AgentTools.SummarizeRoom] = ("Summarise the recent conversation of a room (the current one when no room is given).", """
            {"type":"object","properties":{"room":{"type":"string"},"messages":{"type":"integer","minimum":5,"maximum":200}},"additionalProperties":false}
            """),
        [AgentTools.SearchKnowledge] = ("Search the knowledge base; returns the best matching passages with their titles.", """
            {"type":"object","properties":{"query":{"type":"string"},"k":{"type":"integer","minimum":1,"maximum":10}},"required":["query"],"additionalProperties":false}
            """),
    };

    /// <summary>
    /// The agent's tools as <see cref="AIFunction"/>s for Microsoft.Extensions.AI's function invocation: each checks its
    /// arguments before anything runs and answers "error: …" to the model otherwise; <paramref name="invoked"/> sees every call and its result.
    /// </summary>
    public IList<AITool> Functions(AgentDefinition agent, ToolContext context, Func<string, IDictionary<string, object?>, string, CancellationToken, ValueTask>? invoked = null) =>
        agent.Tools.Where(Specs.ContainsKey)
            .Select(name => (AITool)new ToolFunction(this, agent, name, Specs[name].Description, JsonDocument.Parse(Specs[name].Schema).RootElement.Clone(), context, invoked))
            .ToList();

    /// <summary>Runs a tool the agent is allowed, with checked arguments; refusals come back as text starting with "error:".</summary>
    public async Task<string> InvokeAsync(AgentDefinition agent, string tool, IDictionary<string, object?>? arguments, ToolContext context, CancellationToken cancellationToken)
    {
        if (!agent.Tools.Contains(tool) || !Specs.ContainsKey(tool))
        {
            return $"error: the tool '{tool}' is not available to {agent.Name}";
        }

        var args = new ToolArguments(arguments);
        if (args.Unknown(Allowed(tool)) is { } unknown)
        {
            return $"error: {tool} takes no argument '{unknown}'";
        }

        try
        {
            return tool switch
            {
                AgentTools.CreateRoom => await CreateRoomAsync(args.String("name"), args.OptionalString("topic"), context, cancellationToken),
                AgentTools.ListRooms => await ListRoomsAsync(cancellationToken),
                AgentTools.WatchTopic => await WatchTopicAsync(args.String("topic"), context, cancellationToken),
                AgentTools.SummarizeRoom => await SummarizeAsync(args.OptionalString("room") ?? context.Room, args.OptionalInt("messages") ?? 50, cancellationToken),
                AgentTools.SearchKnowledge => await SearchAsync(args.String("query"), args.OptionalInt("k") ?? 3, cancellationToken),
                _ => $"error: unknown tool '{tool}'",
            };
        }
        catch (ToolArgumentException e)
        {
            return $"error: {e.Message}";
        }
    }

    private static string[] Allowed(string tool) => tool switch
    {
        AgentTools.CreateRoom => ["name", "topic"],
        AgentTools.WatchTopic => ["topic"],
        AgentTools.SummarizeRoom => ["room", "messages"],
        AgentTools.SearchKnowledge => ["query", "k"],
        _ => [],
    };

    private async Task<string> CreateRoomAsync(string name, string? topic, ToolContext context, CancellationToken cancellationToken)
    {
        name = name.Trim().TrimStart('#').ToLowerInvariant();
        if (!RoomNames.IsValid(name))
        {
            return $"error: '{name}' is not a valid room name (1-64 lower-case letters, digits and '-')";
        }

        if (topic is { Length: > 200 })
        {
            return "error: the topic is longer than 200 characters";
        }

        var room = new Room(name, string.IsNullOrWhiteSpace(topic) ? null : topic.Trim(), AgentRouter.AuthorPrefix + context.Agent, time.GetUtcNow());
        if (!await rooms.TryCreateAsync(room, cancellationToken))
        {
            return $"error: room #{name} exists already";
        }

        // People in the room where it was asked for see the new room in their list at once.
        await bus.PublishAsync(new ChatEvent(ChatEventTypes.RoomCreated, context.Room,
            ChatJson.ToElement(new RoomCreatedEvent(room.Name, room.Topic, context.Agent, context.RequestedBy))), cancellationToken);
        return $"created room #{name}";
    }

    private async Task<string> ListRoomsAsync(CancellationToken cancellationToken)
    {
        var all = await rooms.ListAsync(cancellationToken);
        return all.Count == 0
            ? "there are no rooms"
            : string.Join("\n", all.Select(r => r.Topic is null ? $"#{r.Name}" : $"#{r.Name} — {r.Topic}"));
    }

    private async Task<string> WatchTopicAsync(string topic, ToolContext context, CancellationToken cancellationToken)
    {
        topic = TopicWatcher.NormalizeTopic(topic);
        if (topic.Length is < 2 or > MaxTopicLength)
        {
            return $"error: a topic is 2-{MaxTopicLength} characters";
        }

        await watches.AddAsync(context.Room, topic, context.RequestedBy, time.GetUtcNow(), cancellationToken);
        return $"watching other rooms for \"{topic}\"; I will tell #{context.Room} when it comes up";
    }

    private async Task<string> SummarizeAsync(string room, int count, CancellationToken cancellationToken)
    {
        room = room.Trim().TrimStart('#');
        if (!RoomNames.IsValid(room) || await rooms.GetAsync(room, cancellationToken) is null)
        {
            return $"error: there is no room '{room}'";
        }

        if (count is < 5 or > 200)
        {
            return "error: messages is 5-200";
        }

        var messages = await log.ReadAsync(room, new MessageQuery(null, null, count), cancellationToken);
        return RoomSummarizer.Summarize(room, messages.Where(m => !m.Hidden && m.Kind != MessageKind.System).ToList());
    }

    private async Task<string> SearchAsync(string query, int k, CancellationToken cancellationToken)
    {
        if (query.Length is 0 or > 500 || k is < 1 or > 10)
        {
            return "error: query is 1-500 characters and k 1-10";
        }

        IReadOnlyList<KnowledgeHit> hits;
        try
        {
            hits = await knowledge.SearchAsync(query, k, cancellationToken);
        }
        catch (KnowledgeBackendException e)
        {
            return $"error: the knowledge base is unavailable right now ({e.Message})";
        }

        return hits.Count == 0
            ? "the knowledge base has nothing on that"
            : string.Join("\n\n", hits.Select(h => $"[{h.Title}] (score {h.Score:F2})\n{h.Text}"));
    }

    /// <summary>One tool as the model sees it; invoking it goes through <see cref="InvokeAsync"/> and its checks.</summary>
    private sealed class ToolFunction(
        AgentToolbox toolbox,
        AgentDefinition agent,
        string name,
        string description,
        JsonElement schema,
        ToolContext context,
        Func<string, IDictionary<string, object?>, string, CancellationToken, ValueTask>? invoked) : AIFunction
    {
        public override string Name => name;

        public override string Description => description;

        public override JsonElement JsonSchema => schema;

        protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
        {
            var values = new Dictionary<string, object?>(arguments, StringComparer.Ordinal);
            var result = await toolbox.InvokeAsync(agent, name, values, context, cancellationToken);
            if (invoked is not null)
            {
                await invoked(name, values, result, cancellationToken);
            }

            return result;
        }
    }

    /// <summary>Arguments as a model sent them: JSON values or plain objects.</summary>
    private sealed class ToolArguments(IDictionary<string, object?>? values)
    {
        public string? Unknown(string[] allowed) => values?.Keys.FirstOrDefault(k => !allowed.Contains(k));

        public string String(string name) =>
            OptionalString(name) is { Length: > 0 } value ? value : throw new ToolArgumentException($"'{name}' is required");

        public string? OptionalString(string name) => Get(name) switch
        {
            null => null,
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            JsonElement { ValueKind: JsonValueKind.Null } => null,
            _ => throw new ToolArgumentException($"'{name}' must be a string"),
        };

        public int? OptionalInt(string name) => Get(name) switch
        {
            null => null,
            int i => i,
            long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
            JsonElement { ValueKind: JsonValueKind.Number } e when e.TryGetInt32(out var i) => i,
            JsonElement { ValueKind: JsonValueKind.Null } => null,
            _ => throw new ToolArgumentException($"'{name}' must be a whole number"),
        };

        private object? Get(string name) => values is not null && values.TryGetValue(name, out var value) ? value : null;
    }

    private sealed class ToolArgumentException(string message) : Exception(message);
}
