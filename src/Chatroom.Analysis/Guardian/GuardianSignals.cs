namespace Chatroom.Analysis.Guardian;

/// <summary>
/// The names the guardian scorer reports: the message signals (read from what the older party writes, against the exemplar
/// index) and the conversation features (read from who talks, how much, when, how it changes over the window, and the
/// ordinary context it sits in).
/// </summary>
public static class GuardianSignals
{
    public const string AgeProbe = "age_probe";
    public const string Flattery = "flattery";
    public const string Gifts = "gifts";
    public const string Secrecy = "secrecy";
    public const string PersonalDetails = "personal_details";
    public const string Photos = "photos";
    public const string Meeting = "meeting";
    public const string PlatformMove = "platform_move";
    public const string Isolation = "isolation";

    public const string AgeGap = "age_gap";
    public const string FirstContact = "first_contact";
    public const string OlderShare = "older_share";
    public const string Escalation = "escalation";
    public const string LateHours = "late_hours";
    public const string SignalCount = "signal_count";

    /// <summary>
    /// Family, school or club context (a parent, a grandparent, a teacher, a coach) anywhere in the window, from either side:
    /// the exemplars of <see cref="Context"/>. Fitted to lower the score: the same "don't tell mum" reads differently there.
    /// </summary>
    public const string BenignContext = "benign_context";

    /// <summary>How evenly both sides talk: the younger party's messages per message of the older, capped at 1.</summary>
    public const string Reciprocity = "reciprocity";

    /// <summary>Signals that recur: the older party's lines beyond the first that carry any signal, over three.</summary>
    public const string RepeatedSignals = "repeated_signals";

    /// <summary>Signals read from messages, in the order of the feature vector.</summary>
    public static IReadOnlyList<string> Message { get; } = [AgeProbe, Flattery, Gifts, Secrecy, PersonalDetails, Photos, Meeting, PlatformMove, Isolation];

    /// <summary>Conversation features, after the message signals in the feature vector.</summary>
    public static IReadOnlyList<string> Conversation { get; } =
        [AgeGap, FirstContact, OlderShare, Escalation, LateHours, SignalCount, BenignContext, Reciprocity, RepeatedSignals];

    /// <summary>Exemplar sets in the index that are context, not signals: never evidence, never fed from cases.</summary>
    public static IReadOnlyList<string> Context { get; } = [BenignContext];

    /// <summary>Every feature, in the order the fitted weights use.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Message, .. Conversation];

    public static bool IsMessageSignal(string name) => Message.Contains(name);
}
