namespace Chatroom.Core.Agents;

/// <summary>"Tell <see cref="Room"/> when <see cref="Topic"/> comes up elsewhere."</summary>
public sealed record TopicWatch(long Id, string Room, string Topic, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>Port: cross-room topic watches; they outlive restarts.</summary>
public interface ITopicWatchStore
{
    /// <summary>Adds a watch; the existing one when the room watches that topic already.</summary>
    Task<TopicWatch> AddAsync(string room, string topic, string createdBy, DateTimeOffset now, CancellationToken cancellationToken);

    Task<bool> RemoveAsync(string room, string topic, CancellationToken cancellationToken);

    Task<IReadOnlyList<TopicWatch>> ListAsync(CancellationToken cancellationToken);
}
