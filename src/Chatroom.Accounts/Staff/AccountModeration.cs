using Chatroom.Accounts.Data;
using Chatroom.Accounts.Tokens;
using Chatroom.Accounts.TwoFactor;
using Chatroom.Core.Auth;
using Chatroom.Core.Errors;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Chatroom.Accounts.Staff;

/// <summary>
/// Staff acting on accounts: account-wide bans and disabling, roles, resetting second factors, signing out everywhere.
/// Bans and disabling bind to the account, not to a token: sign-in and refresh are refused while they last. Every action
/// here revokes every session and every node closes the account's live sockets at once.
/// </summary>
public sealed partial class AccountModeration(
    AccountsDb db, UserManager<ChatUser> users, AccountSessions sessions, TwoFactorService twoFactor, TimeProvider time,
    ILogger<AccountModeration> logger)
{
    /// <summary>Bans the account until <paramref name="until"/> (null: permanently); returns when the ban ends.</summary>
    public async Task<DateTimeOffset> BanAsync(
        string userId, DateTimeOffset? until, string reason, ChatIdentity actor, CancellationToken cancellationToken)
    {
        var user = await TargetAsync(userId, actor);
        var now = time.GetUtcNow();
        if (until is { } end && end <= now)
        {
            throw new ChatException(ErrorCodes.InvalidRequest, "a ban must end in the future (leave 'until' out for a permanent ban)");
        }

        user.BannedUntilUtc = until is { } value && value.UtcDateTime < AccountRules.PermanentBan ? value.UtcDateTime : AccountRules.PermanentBan;
        user.BanReason = reason;
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
        user.BanReason = null;
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

    /// <summary>
    /// Gives the account exactly <paramref name="roles"/> (<c>user</c> always stays) and signs it out everywhere, so its
    /// next sign-in carries them. The only admin account left keeps <c>admin</c> (<c>last_admin</c>).
    /// </summary>
    public async Task<AccountRoles> SetRolesAsync(string userId, IReadOnlyList<string>? roles, ChatIdentity actor, CancellationToken cancellationToken)
    {
        var wanted = (roles ?? []).Select(r => r?.Trim().ToLowerInvariant() ?? string.Empty).Append(ChatRoles.User).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Any(r => !AccountsDb.RoleNames.Contains(r)))
        {
            throw new ChatException(ErrorCodes.InvalidRequest, $"roles are {string.Join(", ", AccountsDb.RoleNames)}");
        }

        var user = await TargetAsync(userId, actor, allowSelf: true);
        var held = await users.GetRolesAsync(user);
        var removed = held.Except(wanted, StringComparer.Ordinal).ToList();
        var added = wanted.Except(held, StringComparer.Ordinal).ToList();
        if (removed.Contains(ChatRoles.Admin) && await db.UserRoles.CountAsync(r => r.RoleId == ChatRoles.Admin, cancellationToken) <= 1)
        {
            throw new ChatException(ErrorCodes.LastAdmin, "this is the only admin account: make another account admin first");
        }

        if (removed.Count + added.Count > 0)
        {
            var stamp = user.SecurityStamp;
            Check(await users.RemoveFromRolesAsync(user, removed));
            Check(await users.AddToRolesAsync(user, added));
            await sessions.RevokeAllAsync(user, ErrorCodes.SignedOut, "this account's roles changed; sign in again", stamp, cancellationToken);
            LogRoles(logger, user.Id, string.Join(",", wanted.Order(StringComparer.Ordinal)), actor.UserId);
        }

        return new AccountRoles(user.Id, wanted.Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>
    /// For a person who lost their second factor: turns TOTP off, forgets the recovery codes, deletes every passkey and
    /// signs the account out everywhere. The password stays; the person enrols again after signing in with it.
    /// </summary>
    public async Task ResetSecondFactorsAsync(string userId, ChatIdentity actor, CancellationToken cancellationToken)
    {
        var user = await TargetAsync(userId, actor, allowSelf: true);
        var stamp = user.SecurityStamp;
        await twoFactor.TurnOffAsync(user, cancellationToken);
        await db.UserPasskeys.Where(p => p.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await sessions.RevokeAllAsync(user, ErrorCodes.SignedOut, "an admin reset this account's second factors; sign in again", stamp, cancellationToken);
        LogSecondFactorsReset(logger, user.Id, actor.UserId);
    }

    /// <summary>Signs the account out everywhere, as its own "sign out everywhere" would.</summary>
    public async Task SignOutAsync(string userId, ChatIdentity actor, CancellationToken cancellationToken)
    {
        var user = await TargetAsync(userId, actor, allowSelf: true);
        await sessions.RevokeAllAsync(user, ErrorCodes.SignedOut, "staff signed this account out everywhere; sign in again", user.SecurityStamp, cancellationToken);
        LogSignedOut(logger, user.Id, actor.UserId);
    }

    /// <summary>
    /// The account staff act on: it exists, a moderator cannot act on staff, and (unless <paramref name="allowSelf"/>)
    /// it is not the actor's own.
    /// </summary>
    private async Task<ChatUser> TargetAsync(string userId, ChatIdentity actor, bool allowSelf = false)
    {
        var user = userId.Length <= 64 ? await users.FindByIdAsync(userId) : null;
        if (user is null)
        {
            throw new ChatException(ErrorCodes.NotFound, "no such account");
        }

        if (user.Id == actor.UserId && !allowSelf)
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

    [LoggerMessage(EventId = 4153, Level = LogLevel.Information, Message = "Account {UserId} given roles {Roles} by {ActorId}")]
    private static partial void LogRoles(ILogger logger, string userId, string roles, string actorId);

    [LoggerMessage(EventId = 4154, Level = LogLevel.Information, Message = "Account {UserId} had its second factors reset by {ActorId}")]
    private static partial void LogSecondFactorsReset(ILogger logger, string userId, string actorId);

    [LoggerMessage(EventId = 4155, Level = LogLevel.Information, Message = "Account {UserId} signed out everywhere by {ActorId}")]
    private static partial void LogSignedOut(ILogger logger, string userId, string actorId);
}
