namespace Chatroom.Core.GuardianCases;

/// <summary>One signal behind a case: its 0–1 strength and the lines that show it.</summary>
public sealed record GuardianCaseSignal(string Name, double Score, IReadOnlyList<string> Evidence);

/// <summary>
/// A guardian case: the guardian agent found a concerning conversation (<see cref="GuardianCaseKinds.Conversation"/>: a
/// private room with a minor) or an account opening many new contacts with minors (<see cref="GuardianCaseKinds.Contacts"/>).
/// <see cref="SubjectUserId"/> is the adult the case is about. <see cref="WindowKey"/> makes opening idempotent: one case per
/// window. The review fields fill in as moderators read and resolve it.
/// </summary>
public sealed record GuardianCase(
    long Id,
    string Kind,
    string? Room,
    string SubjectUserId,
    IReadOnlyList<string> MinorUserIds,
    double Score,
    IReadOnlyList<GuardianCaseSignal> Signals,
    IReadOnlyList<string> EvidenceLines,
    string? Summary,
    string WindowKey,
    string State,
    DateTimeOffset OpenedAt,
    string? AssignedTo = null,
    DateTimeOffset? FirstReviewedAt = null,
    string? ResolvedBy = null,
    string? Resolution = null,
    DateTimeOffset? ResolvedAt = null);

public static class GuardianCaseKinds
{
    public const string Conversation = "conversation";
    public const string Contacts = "contacts";
}
