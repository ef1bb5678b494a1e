using System.ComponentModel.DataAnnotations;
using Chatroom.Core.GuardianCases;

namespace Chatroom.Analysis.Guardian;

/// <summary><c>Chatroom:Guardian</c>: the guardian agent's threshold, window and contact limits (docs/configuration.md).</summary>
public sealed class GuardianOptions
{
    public const string Section = "Chatroom:Guardian";

    /// <summary>Whether the worker watches private conversations (the score API works either way).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The score a conversation needs to open a case; null uses the fitted model's (guardian-model.json).</summary>
    [Range(0.0, 1.0)]
    public double? Threshold { get; set; }

    /// <summary>How many of a conversation's latest messages a window holds.</summary>
    [Range(4, 200)]
    public int WindowMessages { get; set; } = GuardianSettings.DefaultWindowMessages;

    /// <summary>How far back a window reaches; older messages drop out of it.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")]
    public TimeSpan WindowAge { get; set; } = GuardianSettings.DefaultWindowAge;

    /// <summary>New contacts with different minors an adult may open within <see cref="ContactPeriod"/> before a case opens.</summary>
    [Range(2, 1000)]
    public int MaxNewMinorContacts { get; set; } = GuardianSettings.DefaultMaxNewMinorContacts;

    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")]
    public TimeSpan ContactPeriod { get; set; } = GuardianSettings.DefaultContactPeriod;

    /// <summary>Most messages one score request may send.</summary>
    [Range(1, 1000)]
    public int MaxTranscriptMessages { get; set; } = 200;

    /// <summary>
    /// These options with an admin's stored settings over them (<c>PUT /api/admin/guardian/settings</c>); a stored null
    /// threshold keeps the configured one.
    /// </summary>
    public GuardianOptions With(GuardianSettings? stored) => stored is null ? this : new GuardianOptions
    {
        Enabled = Enabled,
        Threshold = stored.Threshold ?? Threshold,
        WindowMessages = stored.WindowMessages,
        WindowAge = stored.WindowAge,
        MaxNewMinorContacts = stored.MaxNewMinorContacts,
        ContactPeriod = stored.ContactPeriod,
        MaxTranscriptMessages = MaxTranscriptMessages,
    };
}
