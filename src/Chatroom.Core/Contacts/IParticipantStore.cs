namespace Chatroom.Core.Contacts;

/// <summary>Port: participant profiles on the chat backend, written by the accounts side, read by hub and analysis.</summary>
public interface IParticipantStore
{
    /// <summary>Creates or replaces the person's profile.</summary>
    Task SetAsync(ParticipantProfile profile, CancellationToken cancellationToken);

    Task<ParticipantProfile?> GetAsync(string userId, CancellationToken cancellationToken);

    /// <summary>The profiles of those of <paramref name="userIds"/> that have one, in one round trip.</summary>
    Task<IReadOnlyDictionary<string, ParticipantProfile>> GetManyAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken);

    /// <summary>Forgets the profile (the account was deleted); false when there was none.</summary>
    Task<bool> RemoveAsync(string userId, CancellationToken cancellationToken);
}
