using Chatroom.Core.Moderation;

namespace Chatroom.Api.Guardians;

/// <summary>
/// The moderation side of a minor's safety events: flags raised on their messages (alerts) and what staff did to the
/// account or in its rooms (decisions), read from the audit log. The audit log is not indexed by target, so this reads
/// its newest <see cref="ScanLimit"/> entries: older events drop out of the guardian's view, never wrong ones in.
/// </summary>
public sealed class AuditSafetyEvents(IModerationStore store) : IGuardianEventSource
{
    public const int ScanLimit = 2000;
    private const int Page = 200;

    private static readonly HashSet<string> Decisions =
    [
        ModerationActionNames.Restore, ModerationActionNames.Mute, ModerationActionNames.Ban, ModerationActionNames.BanAccount,
        ModerationActionNames.UnbanAccount, ModerationActionNames.DisableAccount, ModerationActionNames.EnableAccount,
        GuardianAuditActions.SetBirthDate,
    ];

    public async Task<IReadOnlyList<MinorSafetyEvent>> ListAsync(string minorUserId, int limit, CancellationToken cancellationToken)
    {
        var found = new List<MinorSafetyEvent>();
        long? before = null;
        for (var read = 0; read < ScanLimit && found.Count < limit; read += Page)
        {
            var page = await store.ListAuditAsync(before, Page, cancellationToken);
            foreach (var entry in page.Where(e => e.TargetUserId == minorUserId))
            {
                if (entry.Action == ModerationActionNames.Flag)
                {
                    found.Add(new MinorSafetyEvent(entry.At, "alert", entry.Action, entry.Room, $"a message was flagged for review ({entry.Detail})", "moderation"));
                }
                else if (Decisions.Contains(entry.Action))
                {
                    found.Add(new MinorSafetyEvent(entry.At, "decision", entry.Action, entry.Room, entry.Reason, "moderation"));
                }
            }

            if (page.Count < Page)
            {
                break;
            }

            before = page[^1].Id;
        }

        return found.Take(limit).ToList();
    }
}
