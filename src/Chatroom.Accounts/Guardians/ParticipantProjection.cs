using Chatroom.Core.Contacts;
using Microsoft.Extensions.Logging;

namespace Chatroom.Accounts.Guardians;

/// <summary>
/// Writes what the chat services need to know about an account (age, guardian state, who may message it) into the chat
/// backend's participant store. The accounts database stays the source of truth: a failed write is logged and made
/// again at the account's next sign-in or refresh (for minors, whose limits matter).
/// </summary>
public sealed partial class ParticipantProjection(IParticipantStore participants, TimeProvider time, ILogger<ParticipantProjection> logger)
{
    public static ParticipantProfile Profile(ChatUser user, DateTimeOffset now) => new(
        user.Id, user.DateOfBirth == default ? null : user.DateOfBirth, user.GuardianState, user.GuardianUserId, user.DirectMessages, now);

    /// <summary>Projects the account; true when the chat store took it.</summary>
    public async Task<bool> ProjectAsync(ChatUser user, CancellationToken cancellationToken)
    {
        try
        {
            await participants.SetAsync(Profile(user, time.GetUtcNow()), cancellationToken);
            return true;
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            LogProjectionFailed(logger, failure, user.Id);
            return false;
        }
    }

    /// <summary>At sign-in and refresh: minors and guarded accounts are projected again, so a failed write heals.</summary>
    public Task RefreshAsync(ChatUser user, CancellationToken cancellationToken) =>
        user.GuardianState != GuardianStates.None || Minors.IsMinor(user.DateOfBirth, Minors.Today(time))
            ? ProjectAsync(user, cancellationToken)
            : Task.CompletedTask;

    public async Task RemoveAsync(string userId, CancellationToken cancellationToken)
    {
        try
        {
            await participants.RemoveAsync(userId, cancellationToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            LogProjectionFailed(logger, failure, userId);
        }
    }

    [LoggerMessage(EventId = 4170, Level = LogLevel.Error,
        Message = "Projecting account {UserId} into the chat backend's participant store failed; it is retried at the account's next sign-in")]
    private static partial void LogProjectionFailed(ILogger logger, Exception exception, string userId);
}
