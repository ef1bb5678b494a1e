namespace Chatroom.Core.GuardianCases;

/// <summary>
/// The guardian agent's thresholds and windows as an admin set them (<c>PUT /api/admin/guardian/settings</c>). Stored on the
/// chat backend so the analysis service applies them on its next look at a conversation, without a restart; while none
/// are stored, configuration (<c>Chatroom:Guardian</c>) and the fitted model's threshold apply.
/// </summary>
/// <param name="Threshold">The score a conversation needs to open a case; null uses the fitted model's.</param>
/// <param name="WindowMessages">How many of a conversation's latest messages a window holds.</param>
/// <param name="WindowAge">How far back a window reaches.</param>
/// <param name="MaxNewMinorContacts">New contacts with different minors an adult may open within <paramref name="ContactPeriod"/> before a case opens.</param>
/// <param name="ContactPeriod">The period new contacts are counted over.</param>
/// <param name="UpdatedBy">The admin who set them (audit actor).</param>
/// <param name="UpdatedAt">When.</param>
public sealed record GuardianSettings(
    double? Threshold,
    int WindowMessages,
    TimeSpan WindowAge,
    int MaxNewMinorContacts,
    TimeSpan ContactPeriod,
    string UpdatedBy,
    DateTimeOffset UpdatedAt)
{
    public const int DefaultWindowMessages = 30;
    public const int DefaultMaxNewMinorContacts = 5;
    public static readonly TimeSpan DefaultWindowAge = TimeSpan.FromDays(2);
    public static readonly TimeSpan DefaultContactPeriod = TimeSpan.FromDays(1);

    // The same ranges as the configuration's (GuardianOptions in the analysis service), so either source is valid for the other.
    public const int MinWindowMessages = 4;
    public const int MaxWindowMessages = 200;
    public const int MinNewMinorContacts = 2;
    public const int MaxNewMinorContactsLimit = 1000;
    public static readonly TimeSpan MinPeriod = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(30);

    /// <summary>Why these settings cannot be used, or null when they can.</summary>
    public string? Problem() =>
        Threshold is < 0 or > 1 or double.NaN ? "threshold is 0-1 (or null for the fitted model's)"
        : WindowMessages is < MinWindowMessages or > MaxWindowMessages ? $"windowMessages is {MinWindowMessages}-{MaxWindowMessages}"
        : WindowAge < MinPeriod || WindowAge > MaxPeriod ? "windowAgeMinutes is 10 minutes to 30 days"
        : MaxNewMinorContacts is < MinNewMinorContacts or > MaxNewMinorContactsLimit ? $"maxNewMinorContacts is {MinNewMinorContacts}-{MaxNewMinorContactsLimit}"
        : ContactPeriod < MinPeriod || ContactPeriod > MaxPeriod ? "contactPeriodMinutes is 10 minutes to 30 days"
        : null;
}
