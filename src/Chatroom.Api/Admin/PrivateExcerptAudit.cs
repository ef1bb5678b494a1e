using System.Security.Claims;
using Chatroom.Core.Moderation;
using Chatroom.Core.Rooms;

namespace Chatroom.Api.Admin;

/// <summary>
/// Private and direct rooms are readable by their members only; staff see their text only through a flag, a report or a
/// guardian case. Every answer that carries such text is written to the audit log: who read it, which room, which messages.
/// </summary>
public static class PrivateExcerptAudit
{
    public const string Action = "private_excerpt_read";

    /// <summary>One audit entry per members-only room among <paramref name="excerpts"/>; public rooms' messages are not logged.</summary>
    /// <param name="via">What showed the text, e.g. <c>flag queue</c> (the entry's reason).</param>
    public static async Task AuditAsync(
        ClaimsPrincipal reader, IEnumerable<(string Room, long MessageId)> excerpts, string via, IRoomStore rooms, ModerationActions audit,
        CancellationToken cancellationToken)
    {
        string? actor = null;
        foreach (var room in excerpts.GroupBy(e => e.Room, StringComparer.Ordinal))
        {
            if (await rooms.GetAsync(room.Key, cancellationToken) is not { IsMembersOnly: true })
            {
                continue;
            }

            var ids = room.Select(e => e.MessageId).Distinct().Order().ToList();
            actor ??= AuditActor.Of(reader);
            await audit.AuditAsync(actor, Action, room.Key, ids[0], null, via, $"messages {string.Join(',', ids)}", cancellationToken);
        }
    }
}
