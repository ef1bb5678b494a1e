namespace Chatroom.Core.Webhooks;

/// <summary>The event types an outgoing webhook can subscribe to.</summary>
public static class WebhookEvents
{
    public const string MessageCreated = "message.created";

    /// <summary>A message naming someone with <c>@name</c>.</summary>
    public const string Mention = "mention";

    public const string AgentReplied = "agent.replied";

    /// <summary>Moderation flagged a message for review.</summary>
    public const string FlagRaised = "flag.raised";

    public const string RoomChanged = "room.changed";

    public static readonly IReadOnlyList<string> All = [MessageCreated, Mention, AgentReplied, FlagRaised, RoomChanged];
}
