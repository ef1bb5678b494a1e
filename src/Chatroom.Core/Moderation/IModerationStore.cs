namespace Chatroom.Core.Moderation;

/// <summary>Port: verdicts and room aggregates, the review queue, mutes and the audit log.</summary>
public interface IModerationStore
{
    /// <summary>Most verdicts <see cref="ListRecentVerdictsAsync"/> returns: stores may keep only this many for it.</summary>
    const int MaxRecentVerdicts = 200;

    /// <summary>Stores the verdict of a message once; false when it had one already (a redelivered work item).</summary>
    Task<bool> SaveVerdictAsync(VerdictRecord verdict, CancellationToken cancellationToken);

    Task<VerdictRecord?> GetVerdictAsync(string room, long messageId, CancellationToken cancellationToken);

    /// <summary>
    /// The latest verdicts across all rooms, newest first (by <see cref="VerdictRecord.At"/>), at most <paramref name="limit"/>
    /// and never more than <see cref="MaxRecentVerdicts"/>: what the admin's live feed shows before new ones arrive.
    /// </summary>
    Task<IReadOnlyList<VerdictRecord>> ListRecentVerdictsAsync(int limit, CancellationToken cancellationToken);

    Task<RoomAggregates> GetAggregatesAsync(string room, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// The room's verdicts since <paramref name="now"/> minus <paramref name="window"/> (whole minutes on Redis): what trend
    /// alerts read after every classified batch, so it costs one round trip and does not grow with the room's history.
    /// </summary>
    Task<VerdictCounts> GetRecentCountsAsync(string room, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>Adds LLM tokens (prompt and completion, every purpose) spent in the minute starting at <paramref name="minute"/>.</summary>
    Task RecordTokensAsync(DateTimeOffset minute, long tokens, CancellationToken cancellationToken);

    /// <summary>Verdicts and LLM tokens per minute across all rooms since <paramref name="since"/>, oldest first; minutes with neither are left out.</summary>
    Task<IReadOnlyList<MinuteCounts>> GetMinuteSeriesAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Adds a message to the review queue; returns the flag (the existing one when already flagged).</summary>
    Task<FlagRecord> FlagAsync(FlagRecord flag, CancellationToken cancellationToken);

    /// <summary>Flags newest first; <paramref name="room"/> and <paramref name="state"/> filter when given.</summary>
    Task<IReadOnlyList<FlagRecord>> ListFlagsAsync(string? room, string? state, int limit, CancellationToken cancellationToken);

    Task<FlagRecord?> GetFlagAsync(long id, CancellationToken cancellationToken);

    /// <summary>The flag of a message, or null when the message was never flagged.</summary>
    Task<FlagRecord?> GetFlagAsync(string room, long messageId, CancellationToken cancellationToken);

    /// <summary>
    /// Records the author's appeal and reopens the flag as <see cref="FlagStates.Appealed"/>; false when the flag is unknown
    /// or was appealed already (a message is appealed once).
    /// </summary>
    Task<bool> AppealFlagAsync(long id, FlagAppeal appeal, CancellationToken cancellationToken);

    /// <summary>Records the policy model's advice on an appealed flag; false when it has no appeal, or advice already.</summary>
    Task<bool> AdviseAppealAsync(long id, AppealAdvice advice, CancellationToken cancellationToken);

    /// <summary>Closes an open or appealed flag; false when it is neither (already resolved, or unknown).</summary>
    Task<bool> ResolveFlagAsync(long id, string state, string resolvedBy, string resolution, CancellationToken cancellationToken);

    /// <summary>Mutes a user in a room until the given time.</summary>
    Task MuteAsync(string room, string userId, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>When the user's mute in the room ends, or null when not muted.</summary>
    Task<DateTimeOffset?> GetMuteAsync(string room, string userId, DateTimeOffset now, CancellationToken cancellationToken);

    Task<AuditEntry> AuditAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Audit entries newest first, ids below <paramref name="before"/> when given.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(long? before, int limit, CancellationToken cancellationToken);
}
