using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Chatroom.Analysis.Agents.Routing;
using Chatroom.Analysis.Knowledge;
using Chatroom.Core.Agents;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Chatroom.Core.Messages;
using Chatroom.Core.Rooms;

namespace Chatroom.Analysis.Agents.Tools;

/// <summary>
/// The tools agents call, one method each: <see cref="AgentToolAttribute"/> names it, <see cref="DescriptionAttribute"/>s
/// describe it and its parameters to the model, and the parameter names are the argument names. <see cref="ToolGate"/>
/// turns them into <c>AIFunction</c>s and checks each argument's type and presence against the declared schema before a
/// method runs; the methods check the values. A tool's result (or its refusal, starting with "error:") is plain text the
/// model — or, without a model, the person — can read.
/// </summary>
public sealed class AgentToolbox(
    IRoomStore rooms,
    IMessageLog log,
    ITopicWatchStore watches,
    IKnowledgeBase knowledge,
    IChatBus bus,
    RoomService roomService,
    TimeProvider time)
{
    public const int MaxTopicLength = 100;

    [AgentTool(AgentTools.CreateRoom)]
    [Description("Create a chat room.")]
    public async Task<string> CreateRoomAsync(
        [Description("lower-case letters, digits and '-', 1-64 long")] string name,
        ToolContext context,
        string? topic = null,
        CancellationToken cancellationToken = default)
    {
        name = name.Trim().TrimStart('#').ToLowerInvariant();
        Room room;
        try
        {
            // The same rules as a person creating the room over REST; the refusal keeps its code so it reads the same.
            room = await roomService.CreateAsync(name, topic, AgentRouter.AuthorPrefix + context.Agent, cancellationToken);
        }
        catch (ChatException refusal)
        {
            return $"error: {refusal.WireMessage}";
        }

        // People in the room where it was asked for see the new room in their list at once.
        await bus.PublishAsync(new ChatEvent(ChatEventTypes.RoomCreated, context.Room,
            ChatJson.ToElement(new RoomCreatedEvent(room.Name, room.Topic, context.Agent, context.RequestedBy))), cancellationToken);
        return $"created room #{name}";
    }

    [AgentTool(AgentTools.ListRooms)]
    [Description("List the chat rooms.")]
    public async Task<string> ListRoomsAsync(CancellationToken cancellationToken)
    {
        // Agents speak in rooms everyone may read, so they list only public rooms.
        var all = (await rooms.ListAsync(cancellationToken)).Where(r => !r.IsMembersOnly).ToList();
        return all.Count == 0
            ? "there are no rooms"
            : string.Join("\n", all.Select(r => r.Topic is null ? $"#{r.Name}" : $"#{r.Name} — {r.Topic}"));
    }

    [AgentTool(AgentTools.WatchTopic)]
    [Description("Tell the current room whenever a topic comes up in any other room.")]
    public async Task<string> WatchTopicAsync([Description("a few words")] string topic, ToolContext context, CancellationToken cancellationToken)
    {
        topic = TopicWatcher.NormalizeTopic(topic);
        if (topic.Length is < 2 or > MaxTopicLength)
        {
            return $"error: a topic is 2-{MaxTopicLength} characters";
        }

        await watches.AddAsync(context.Room, topic, context.RequestedBy, time.GetUtcNow(), cancellationToken);
        return $"watching other rooms for \"{topic}\"; I will tell #{context.Room} when it comes up";
    }

    [AgentTool(AgentTools.SummarizeRoom)]
    [Description("Summarise the recent conversation of a room (the current one when no room is given).")]
    public async Task<string> SummarizeRoomAsync(ToolContext context, string? room = null, [Range(5, 200)] int messages = 50, CancellationToken cancellationToken = default)
    {
        room = (room ?? context.Room).Trim().TrimStart('#');

        // Another room's private conversation is not the agent's to read out; the room it was asked in is.
        if (!RoomNames.IsValid(room) || await rooms.GetAsync(room, cancellationToken) is not { } found
            || (found.IsMembersOnly && room != context.Room))
        {
            return $"error: there is no room '{room}'";
        }

        if (messages is < 5 or > 200)
        {
            return "error: messages is 5-200";
        }

        var recent = await log.ReadAsync(room, new MessageQuery(null, null, messages), cancellationToken);
        return RoomSummarizer.Summarize(room, recent.Where(m => !m.Hidden && m.Kind != MessageKind.System).ToList());
    }

    [AgentTool(AgentTools.SearchKnowledge)]
    [Description("Search the knowledge base; returns the best matching passages with their titles.")]
    public async Task<string> SearchKnowledgeAsync(string query, [Range(1, 10)] int k = 3, CancellationToken cancellationToken = default)
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
}
