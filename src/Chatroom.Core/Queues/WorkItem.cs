namespace Chatroom.Core.Queues;

/// <summary>A stored message waiting for a worker; <see cref="TraceParent"/> carries the trace across the queue.</summary>
public sealed record WorkItem(string Room, long MessageId, string? TraceParent);

/// <summary>A delivered work item; <see cref="DeliveryCount"/> starts at 1.</summary>
public sealed record QueueEntry(string Id, WorkItem Item, int DeliveryCount);

/// <summary>Queue names. Separate queues keep slow consumers (LLM agents) from delaying moderation.</summary>
public static class QueueNames
{
    public const string Analysis = "analysis";
    public const string Agents = "agents";

    /// <summary>Appeals for the policy model to advise on; written by the API, read by the analysis service's appeal worker.</summary>
    public const string Appeals = "appeals";
}
