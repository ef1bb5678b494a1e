using Chatroom.Core.GuardianCases;

namespace Chatroom.Api.Guardians;

/// <summary>
/// The guardian agent's side of a minor's safety events: a case opened on a private conversation with the minor (an
/// alert) and how moderators resolved it (a decision). Only what happened is told, never the evidence lines, the score or
/// the moderator's written reason, which may quote the conversation. Cases are indexed by the adult they are about, so this
/// reads the newest <see cref="ScanLimit"/> cases, as <see cref="AuditSafetyEvents"/> reads the audit log.
/// </summary>
public sealed class GuardianCaseSafetyEvents(IGuardianCaseStore cases) : IGuardianEventSource
{
    public const int ScanLimit = 1000;

    private const string Source = "guardian-cases";

    public async Task<IReadOnlyList<MinorSafetyEvent>> ListAsync(string minorUserId, int limit, CancellationToken cancellationToken)
    {
        var events = new List<MinorSafetyEvent>();
        foreach (var found in await cases.ListAsync(state: null, subjectUserId: null, ScanLimit, cancellationToken))
        {
            if (!found.MinorUserIds.Contains(minorUserId))
            {
                continue;
            }

            events.Add(new MinorSafetyEvent(found.OpenedAt, "alert", "guardian_case_opened", found.Room,
                "the guardian agent asked moderators to review a private conversation", Source));
            if (found.ResolvedAt is { } resolved)
            {
                events.Add(new MinorSafetyEvent(resolved, "decision", "guardian_case_" + found.State, found.Room, Outcome(found.State), Source));
            }
        }

        return events.OrderByDescending(e => e.At).Take(limit).ToList();
    }

    private static string Outcome(string state) => state switch
    {
        GuardianCaseStates.Restricted => "moderators stopped the other person from contacting minors privately",
        GuardianCaseStates.Banned => "moderators banned the other person's account",
        GuardianCaseStates.GuardianNotified => "moderators reviewed it and notified you",
        _ => "moderators reviewed it and found nothing to act on",
    };
}
