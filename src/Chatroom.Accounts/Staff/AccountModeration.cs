using Chatroom.Accounts.Tokens;
using Chatroom.Core.Auth;
using Chatroom.Core.Errors;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace Chatroom.Accounts.Staff;

/// <summary>
/// Account-wide bans and disabling by staff. Both bind to the account, not to a token: sign-in and refresh are refused
/// while they last, every session is revoked, and every node closes the account's live sockets at once.
/// </summary>
public sealed partial class AccountModeration(
    UserManager<ChatUser> users, AccountSessions sessions, TimeProvider time, ILogger<AccountModeration> logger)
{
    /// <summary>Bans the account until <paramref name="until"/> (null: permanently); returns when the ban ends.</summary>
    public async Task<DateTimeOffset> BanAsync(string userId, DateTimeOffset? until, ChatIdentity actor, CancellationToken cancellationToken)
    {
        var user = await TargetAsync(userId, actor);
        var now = time.GetUtcNow();
        if (until is { } end && end <= now)
        {
            throw new ChatException(ErrorCodes.InvalidRequest, "a ban must end in the future (leave 'until' out for a permanent ban)");
        }

        user.BannedUntilUtc = until is { } value && value.UtcDateTime < AccountRules.PermanentBan ? value.UtcDateTime : AccountRules.PermanentBan;
        Check(await users.UpdateAsync(user));
        await sessions.RevokeAllAsync(user, ErrorCodes.AccountBanned, AccountRules.BanSentence(user.BannedUntilUtc.Value), user.SecurityStamp,
            cancellationToken);
        LogBanned(logger, user.Id, actor.UserId, user.BannedUntilUtc.Value);
        return new DateTimeOffset(user.BannedUntilUtc.Value, TimeSpan.Zero);
    }

    /// <summary>Lifts the account's ban; it may sign in again (its old sessions stay signed out).</summary>
    public async Task UnbanAsync(string userId, ChatIdentity actor)
    {
        var user = await TargetAsync(userId, actor);
        user.BannedUntilUtc = null;
        Check(await users.UpdateAsync(user));
        LogUnbanned(logger, user.Id, actor.UserId);
    }

    /// <summary>Disables the account (or enables it again); disabling signs it out everywhere at once.</summary>
    public async Task SetDisabledAsync(string userId, bool disabled, ChatIdentity actor, CancellationToken cancellationToken)
    {
        var user = await TargetAsync(userId, actor);
        user.DisabledAtUtc = disabled ? user.DisabledAtUtc ?? time.GetUtcNow().UtcDateTime : null;
        Check(await users.UpdateAsync(user));
        if (disabled)
        {
            await sessions.RevokeAllAsync(user, ErrorCodes.AccountDisabled, "this account is disabled", user.SecurityStamp, cancellationToken);
        }

        LogDisabled(logger, user.Id, disabled, actor.UserId);
    }

    /// <summary>The account staff act on: it exists, is not the actor, and a moderator cannot act on staff.</summary>
    private async Task<ChatUser> TargetAsync(string userId, ChatIdentity actor)
    {
        var user = userId.Length <= 64 ? await users.FindByIdAsync(userId) : null;
        if (user is null)
        {
            throw new ChatException(ErrorCodes.NotFound, "no such account");
        }

        if (user.Id == actor.UserId)
        {
            throw new ChatException(ErrorCodes.Forbidden, "staff cannot ban or disable their own account");
        }

        if (actor.Role != ChatRoles.Admin && StaffRules.IsStaff(await AccountRules.TopRoleAsync(users, user)))
        {
            throw new ChatException(ErrorCodes.Forbidden, "only an admin can ban or disable a staff account");
        }

        return user;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Updating the account failed: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }
    }

    [LoggerMessage(EventId = 4150, Level = LogLevel.Information, Message = "Account {UserId} banned by {ActorId} until {Until:O}")]
    private static partial void LogBanned(ILogger logger, string userId, string actorId, DateTime until);

    [LoggerMessage(EventId = 4151, Level = LogLevel.Information, Message = "Account {UserId} unbanned by {ActorId}")]
    private static partial void LogUnbanned(ILogger logger, string userId, string actorId);

    [LoggerMessage(EventId = 4152, Level = LogLevel.Information, Message = "Account {UserId} disabled: {Disabled}, by {ActorId}")]
    private static partial void LogDisabled(ILogger logger, string userId, bool disabled, string actorId);
}
