using Chatroom.Accounts.Guardians;
using Chatroom.Accounts.Passkeys;
using Chatroom.Accounts.Staff;
using Chatroom.Accounts.Tokens;
using Chatroom.Core.Errors;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Chatroom.Accounts.SignIn;

/// <summary>What a signed-in person does with their own account: read it, export it, change it, change the password, delete it.</summary>
public sealed class AccountProfiles(
    UserManager<ChatUser> users, AccountSessions sessions, PasskeyService passkeys, AccountSockets sockets, ParticipantProjection participants,
    IOptions<AccountsOptions> options, TimeProvider time)
{
    /// <summary>Why an export has no messages: said in the file itself, so nobody takes their absence for "none".</summary>
    public const string MessagesNotExported =
        "Messages are not included: the message log is kept per room and cannot list one person's messages without reading every room. " +
        "Messages you sent stay in their rooms under the display name you had.";

    /// <summary>The account behind a token; guests have none.</summary>
    public async Task<ChatUser> FindAsync(string? userId)
    {
        var user = string.IsNullOrEmpty(userId) ? null : await users.FindByIdAsync(userId);
        return user ?? throw new ChatException(ErrorCodes.AccountRequired, "this needs a registered account; guests have none");
    }

    public async Task<AccountProfile> ProfileAsync(ChatUser user) => new(
        user.Id, user.UserName!, user.DisplayName, user.Email!, user.EmailConfirmed, user.DateOfBirth,
        (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal).ToList(), user.TwoFactorEnabled,
        new DateTimeOffset(DateTime.SpecifyKind(user.CreatedAtUtc, DateTimeKind.Utc)), user.GuardianState, user.DirectMessages);

    /// <summary>Everything the account holds about its person: profile, roles, second factors, passkeys (never key material), sessions.</summary>
    public async Task<AccountExport> ExportAsync(ChatUser user, string? currentSessionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return new AccountExport(
            now, await ProfileAsync(user), AccountDirectory.Ban(user.BannedUntilUtc, user.BanReason, now.UtcDateTime), user.DisabledAtUtc is not null,
            await passkeys.ListAsync(user.Id, cancellationToken), await sessions.ListAsync(user.Id, currentSessionId, cancellationToken),
            new ExportedMessages(false, MessagesNotExported));
    }

    public async Task<AccountProfile> UpdateAsync(ChatUser user, string? displayName, DateOnly? dateOfBirth)
    {
        if (displayName is not null)
        {
            user.DisplayName = AccountRules.DisplayName(displayName);
        }

        if (dateOfBirth is not null)
        {
            var born = AccountRules.DateOfBirth(dateOfBirth, time.GetUtcNow());
            Minors.EnsureMayChangeBirthDate(user, born, Minors.Today(time));
            user.DateOfBirth = born;
        }

        var result = await users.UpdateAsync(user);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Updating the account failed: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }

        return await ProfileAsync(user);
    }

    /// <summary>Changes the password and signs out every session, this one included: the caller signs in again.</summary>
    public async Task ChangePasswordAsync(ChatUser user, string? currentPassword, string? newPassword, CancellationToken cancellationToken)
    {
        var secret = AccountRules.Password(newPassword, options.Value);
        if (string.IsNullOrEmpty(currentPassword) || currentPassword.Length > options.Value.MaxPasswordLength)
        {
            throw new ChatException(ErrorCodes.InvalidPassword, "the current password is wrong");
        }

        var stamp = user.SecurityStamp;
        var result = await users.ChangePasswordAsync(user, currentPassword, secret);
        if (!result.Succeeded)
        {
            throw result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch))
                ? new ChatException(ErrorCodes.InvalidPassword, "the current password is wrong")
                : AccountService.WeakPassword(result);
        }

        await sessions.RevokeAllAsync(user, stamp, cancellationToken);
    }

    /// <summary>Deletes the account with its sessions, tokens and second factors (their rows cascade); messages stay in rooms.</summary>
    public async Task DeleteAsync(ChatUser user, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(password) || password.Length > options.Value.MaxPasswordLength || !await users.CheckPasswordAsync(user, password))
        {
            throw new ChatException(ErrorCodes.InvalidPassword, "the password is wrong");
        }

        var result = await users.DeleteAsync(user);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Deleting the account failed: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }

        await sockets.CloseAsync(user.Id, ErrorCodes.SignedOut, "this account was deleted", user.SecurityStamp, cancellationToken);
        await participants.RemoveAsync(user.Id, cancellationToken);
    }
}
