using Chatroom.Core.Rooms;

namespace Chatroom.Core.Webhooks;

/// <summary>The room rules store telling <see cref="RoomChangeFeed"/> when a room's rules are set or cleared.</summary>
public sealed class RoomRulesChangeReportingStore(IRoomRulesStore inner, IRoomStore rooms, RoomChangeFeed feed) : IRoomRulesStore
{
    public Task<RoomRules?> GetAsync(string room, CancellationToken cancellationToken) => inner.GetAsync(room, cancellationToken);

    public async Task SetAsync(RoomRules rules, CancellationToken cancellationToken)
    {
        await inner.SetAsync(rules, cancellationToken);
        await ReportAsync(rules.Room, cancellationToken);
    }

    public async Task<bool> ClearAsync(string room, CancellationToken cancellationToken)
    {
        var cleared = await inner.ClearAsync(room, cancellationToken);
        if (cleared)
        {
            await ReportAsync(room, cancellationToken);
        }

        return cleared;
    }

    private async Task ReportAsync(string room, CancellationToken cancellationToken)
    {
        if (await rooms.GetAsync(room, cancellationToken) is { } found)
        {
            await feed.ChangedAsync(found, RoomChanges.Rules, null, deleted: false, cancellationToken);
        }
    }
}
