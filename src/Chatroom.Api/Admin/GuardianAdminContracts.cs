using Chatroom.Core.GuardianCases;

namespace Chatroom.Api.Admin;

/// <summary><c>{action: dismiss|restrict|ban|notify-guardian, reason}</c>.</summary>
public sealed record ResolveGuardianCase(string? Action, string? Reason);

/// <summary>A queue row: what the case is about and how strong, without the private lines (those come with the audited case read).</summary>
public sealed record GuardianCaseSummary(
    long Id, string Kind, string? Room, string SubjectUserId, IReadOnlyList<string> MinorUserIds, double Score,
    IReadOnlyList<string> Signals, string State, DateTimeOffset OpenedAt, DateTimeOffset? FirstReviewedAt, string? ResolvedBy)
{
    public static GuardianCaseSummary Of(GuardianCase c) => new(
        c.Id, c.Kind, c.Room, c.SubjectUserId, c.MinorUserIds, c.Score, c.Signals.Select(s => s.Name).ToList(), c.State, c.OpenedAt,
        c.FirstReviewedAt, c.ResolvedBy);
}

/// <summary>One private conversation of an account: its room, the others in it and their ages where known.</summary>
public sealed record GuardianContact(string Room, string Visibility, IReadOnlyList<GuardianContactPerson> People);

public sealed record GuardianContactPerson(string UserId, int? Age);

/// <summary>The per-account view: the account's private contacts, its cases and whether it is restricted.</summary>
public sealed record GuardianAccountView(string UserId, IReadOnlyList<GuardianContact> Contacts, IReadOnlyList<GuardianCaseSummary> Cases, ContactRestriction? Restriction);

/// <summary>
/// The guardian agent's settings as the admin page edits them (durations in minutes; threshold null: the configured or
/// fitted one). <c>PUT</c> takes the first five; <c>GET</c> adds whether an admin stored them (else the analysis service's
/// configuration applies, shown here with the built-in defaults), who and when.
/// </summary>
public sealed record GuardianSettingsBody(
    double? Threshold, int WindowMessages, int WindowAgeMinutes, int MaxNewMinorContacts, int ContactPeriodMinutes,
    bool Stored = false, string? UpdatedBy = null, DateTimeOffset? UpdatedAt = null)
{
    public static GuardianSettingsBody Of(GuardianSettings? stored) => stored is null
        ? new(null, GuardianSettings.DefaultWindowMessages, (int)GuardianSettings.DefaultWindowAge.TotalMinutes,
            GuardianSettings.DefaultMaxNewMinorContacts, (int)GuardianSettings.DefaultContactPeriod.TotalMinutes)
        : new(stored.Threshold, stored.WindowMessages, (int)stored.WindowAge.TotalMinutes, stored.MaxNewMinorContacts,
            (int)stored.ContactPeriod.TotalMinutes, true, stored.UpdatedBy, stored.UpdatedAt);

    public GuardianSettings ToSettings(string by, DateTimeOffset at) => new(
        Threshold, WindowMessages, TimeSpan.FromMinutes(WindowAgeMinutes), MaxNewMinorContacts, TimeSpan.FromMinutes(ContactPeriodMinutes), by, at);
}
