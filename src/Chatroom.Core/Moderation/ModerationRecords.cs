namespace Chatroom.Core.Moderation;

/// <summary>Review states of a flagged message.</summary>
public static class FlagStates
{
    public const string Open = "open";
    public const string Approved = "approved";
    public const string Hidden = "hidden";
    public const string Muted = "muted";
    public const string Banned = "banned";

    /// <summary>The author appealed the action taken on the message; a moderator restores it or upholds the action.</summary>
    public const string Appealed = "appealed";

    /// <summary>An appeal a moderator granted: the message is shown again.</summary>
    public const string Restored = "restored";

    /// <summary>An appeal a moderator turned down: the action stands.</summary>
    public const string Upheld = "upheld";
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
    string? Resolution,
    FlagAppeal? Appeal = null);

/// <summary>The author's appeal of the action taken on a flagged message (once per message), with the policy model's advice once it has some.</summary>
public sealed record FlagAppeal(string Reason, DateTimeOffset At, AppealAdvice? Advice = null);

/// <summary>
/// What the policy model advises a moderator about an appeal: <c>restore</c> (within the rules) or <c>uphold</c>, the rule
/// it found broken, and why. Advice only: a moderator decides.
/// </summary>
public sealed record AppealAdvice(string Recommendation, string? Rule, string Rationale, string Model, DateTimeOffset At)
{
    public const string Restore = "restore";
    public const string Uphold = "uphold";
}

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
