using Chatroom.Core.Rooms;

namespace Chatroom.Core.Webhooks;

/// <summary>
/// The room store as every service sees it: the backend's, telling <see cref="RoomChangeFeed"/> what changed. Sitting
/// at the port catches every way a room changes (REST, hub commands, agents, conversations) without each remembering to
/// say so; reads pass straight through, so the send path is untouched.
/// </summary>
public sealed class RoomChangeReportingStore(IRoomStore inner, RoomChangeFeed feed) : IRoomStore
{
    public async Task<bool> TryCreateAsync(Room room, CancellationToken cancellationToken)
    {
        var created = await inner.TryCreateAsync(room, cancellationToken);
        if (created)
        {
            await feed.ChangedAsync(room, RoomChanges.Created, null, deleted: false, cancellationToken);
        }

        return created;
    }

    public Task<Room?> GetAsync(string name, CancellationToken cancellationToken) => inner.GetAsync(name, cancellationToken);

    public Task<IReadOnlyList<Room>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    /// <summary>A write that changes nothing (callers may write the same settings twice) is no change to report.</summary>
    public async Task<bool> UpdateSettingsAsync(string name, int slowModeSeconds, bool locked, CancellationToken cancellationToken)
    {
        var before = await inner.GetAsync(name, cancellationToken);
        var updated = await inner.UpdateSettingsAsync(name, slowModeSeconds, locked, cancellationToken);
        if (updated && before is not null && (before.SlowModeSeconds != slowModeSeconds || before.Locked != locked))
        {
            await feed.ChangedAsync(before with { SlowModeSeconds = slowModeSeconds, Locked = locked }, RoomChanges.Settings, null, deleted: false, cancellationToken);
        }

        return updated;
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        // Read first: afterwards there is no room left to say whether it was private.
        var room = await inner.GetAsync(name, cancellationToken);
        var deleted = await inner.DeleteAsync(name, cancellationToken);
        if (deleted && room is not null)
        {
            await feed.ChangedAsync(room, RoomChanges.Deleted, null, deleted: true, cancellationToken);
        }

        return deleted;
    }

    public Task BanAsync(string room, string userId, DateTimeOffset? until, CancellationToken cancellationToken) =>
        inner.BanAsync(room, userId, until, cancellationToken);

    public Task UnbanAsync(string room, string userId, CancellationToken cancellationToken) => inner.UnbanAsync(room, userId, cancellationToken);

    public Task<bool> IsBannedAsync(string room, string userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.IsBannedAsync(room, userId, now, cancellationToken);

    /// <summary>Joining is taking up a place (member or owner); an invitation or a request waiting is not one yet.</summary>
    public async Task<bool> SetMemberAsync(string room, RoomMember member, CancellationToken cancellationToken)
    {
        var set = await inner.SetMemberAsync(room, member, cancellationToken);
        if (set && member.Role is MemberRoles.Member or MemberRoles.Owner && await inner.GetAsync(room, cancellationToken) is { } found)
        {
            await feed.ChangedAsync(found, RoomChanges.MemberJoined, member.UserId, deleted: false, cancellationToken);
        }

        return set;
    }

    public Task<RoomMember?> GetMemberAsync(string room, string userId, CancellationToken cancellationToken) =>
        inner.GetMemberAsync(room, userId, cancellationToken);

    public async Task<bool> RemoveMemberAsync(string room, string userId, CancellationToken cancellationToken)
    {
        var removed = await inner.RemoveMemberAsync(room, userId, cancellationToken);
        if (removed && await inner.GetAsync(room, cancellationToken) is { } found)
        {
            await feed.ChangedAsync(found, RoomChanges.MemberLeft, userId, deleted: false, cancellationToken);
        }

        return removed;
    }

    public Task<IReadOnlyList<RoomMember>> ListMembersAsync(string room, CancellationToken cancellationToken) => inner.ListMembersAsync(room, cancellationToken);

    public Task<IReadOnlyList<string>> ListRoomsOfAsync(string userId, CancellationToken cancellationToken) => inner.ListRoomsOfAsync(userId, cancellationToken);

    public Task MarkReadAsync(string room, string userId, long messageId, CancellationToken cancellationToken) =>
        inner.MarkReadAsync(room, userId, messageId, cancellationToken);
}
