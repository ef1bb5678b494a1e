
namespace Chatroom.Analysis.Moderation;

/// <summary>
/// The payload of admin <c>analysis</c> events: a verdict (<see cref="Kind"/> <c>verdict</c>, with the action taken)
/// or a trend alert (<c>alert</c>: <c>unsafe_share_rising</c> or <c>mood_turning</c>, with the share that crossed).
/// </summary>
public sealed record AnalysisEvent(
    string Kind,
    string Room,
    long? MessageId = null,
    string? AuthorName = null,
    ModerationVerdict? Verdict = null,
    string? Action = null,
    string? Alert = null,
    double? Share = null);
