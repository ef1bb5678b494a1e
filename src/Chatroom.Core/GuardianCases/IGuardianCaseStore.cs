namespace Chatroom.Core.GuardianCases;

/// <summary>Port: the guardian review queue (separate from the message review queue), on the chat backend.</summary>
public interface IGuardianCaseStore
{
    /// <summary>
    /// Opens a case (its <see cref="GuardianCase.Id"/> is assigned here); when a case with the same
    /// <see cref="GuardianCase.WindowKey"/> exists, returns that one and <c>Opened</c> false: one case per window.
    /// </summary>
    Task<(GuardianCase Case, bool Opened)> OpenAsync(GuardianCase draft, CancellationToken cancellationToken);

    Task<GuardianCase?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Cases newest first; <paramref name="state"/> and <paramref name="subjectUserId"/> filter when given.</summary>
    Task<IReadOnlyList<GuardianCase>> ListAsync(string? state, string? subjectUserId, int limit, CancellationToken cancellationToken);

    /// <summary>Records that a moderator opened the case: the first review time and the assignee are set once.</summary>
    Task<GuardianCase?> MarkReviewedAsync(long id, string moderator, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Closes an open case; false when it is not open (resolved already, or unknown).</summary>
    Task<bool> ResolveAsync(long id, string state, string resolvedBy, string resolution, DateTimeOffset at, CancellationToken cancellationToken);
}
