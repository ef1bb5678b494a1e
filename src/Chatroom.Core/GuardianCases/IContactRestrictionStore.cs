namespace Chatroom.Core.GuardianCases;

/// <summary>
/// Port: contact restrictions a moderator placed through a guardian case. The hub reads it before a private conversation
/// with a minor is opened or written to, and refuses a restricted adult.
/// </summary>
public interface IContactRestrictionStore
{
    /// <summary>Restricts the user (replacing an earlier restriction's reason).</summary>
    Task RestrictAsync(ContactRestriction restriction, CancellationToken cancellationToken);

    Task<ContactRestriction?> GetAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Lifts the restriction; false when there was none.</summary>
    Task<bool> LiftAsync(string userId, CancellationToken cancellationToken);
}
