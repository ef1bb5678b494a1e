namespace Chatroom.Core.Moderation;

/// <summary>Review states of a flagged message.</summary>
public static class FlagStates
{
    public const string Open = "open";
    public const string Approved = "approved";
    public const string Hidden = "hidden";
    public const string Muted = "muted";
    public const string Banned = "banned";
}

/// <summary>A message waiting for (or past) an admin's review.</summary>
public sealed record FlagRecord(
    long Id,
    string Room,
    long MessageId,
    string AuthorId,
    string AuthorName,
    string Text,
    string Reason,
    IReadOnlyList<string> Categories,
    double UnsafeScore,
    string State,
    DateTimeOffset CreatedAt,
    string? ResolvedBy,
    string? Resolution);

/// <summary>One action taken by moderation or an admin, with its reason.</summary>
public sealed record AuditEntry(
    long Id,
    DateTimeOffset At,
    string Actor,
    string Action,
    string? Room,
    long? MessageId,
    string? TargetUserId,
    string Reason,
    string? Detail);
