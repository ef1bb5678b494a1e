namespace Chatroom.Api.Guardians;

/// <summary>
/// A source of safety events involving a minor, for <c>GET /api/guardian/minors/{id}/events</c>. Every registered source
/// is asked and the answers merged by time: the moderation audit log is one (<see cref="AuditSafetyEvents"/>); the
/// guardian agent's cases add theirs by registering another implementation
/// (<c>services.AddSingleton&lt;IGuardianEventSource, …&gt;()</c>). Implementations must not return message text.
/// </summary>
public interface IGuardianEventSource
{
    /// <summary>At most <paramref name="limit"/> events involving <paramref name="minorUserId"/>, newest first.</summary>
    Task<IReadOnlyList<MinorSafetyEvent>> ListAsync(string minorUserId, int limit, CancellationToken cancellationToken);
}
