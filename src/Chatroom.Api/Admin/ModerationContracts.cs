using Chatroom.Core.Moderation;

namespace Chatroom.Api.Admin;

public sealed record TrendAlert(string Alert, double Share);

/// <summary>A room's moderation picture: aggregates, alerts raised now, and its recent flagged messages.</summary>
public sealed record RoomAnalysis(string Room, RoomAggregates Aggregates, IReadOnlyList<TrendAlert> Alerts, IReadOnlyList<FlagRecord> Flagged);

/// <summary>An admin's decision on a flagged message: <c>approve</c>, <c>hide</c>, <c>mute</c> or <c>ban</c>, with a reason.</summary>
public sealed record ResolveFlag(string? Action, string? Reason, int? MuteSeconds);

public sealed record RoomSettings(int? SlowModeSeconds, bool? Locked);

/// <summary>
/// A stored verdict as the admin's live feed shows it, in the shape of a live <c>analysis</c> event (<c>room</c>,
/// <c>messageId</c>, <c>authorName</c>, <c>verdict</c>, <c>action</c>); <c>verdict.at</c> says when it was reached.
/// </summary>
public sealed record RecentVerdict(string Room, long MessageId, string AuthorName, VerdictRecord Verdict, string? Action);
