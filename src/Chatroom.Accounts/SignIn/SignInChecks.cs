using Chatroom.Core.Errors;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Chatroom.Accounts.SignIn;

/// <summary>
/// What every way of signing in checks about the account once its credential is known (password, second factor,
/// passkey): the lockout, a ban or disabling, and a confirmed address.
/// </summary>
public sealed class SignInChecks(UserManager<ChatUser> users, IOptions<AccountsOptions> options, TimeProvider time)
{
    public async Task EnsureNotLockedOutAsync(ChatUser user)
    {
        if (await users.IsLockedOutAsync(user) && await users.GetLockoutEndDateAsync(user) is { } end)
        {
            throw Locked(end - time.GetUtcNow());
        }
    }

    /// <summary>Refuses a disabled or banned account, and one whose address is not confirmed where that is required.</summary>
    public void EnsureMaySignIn(ChatUser user)
    {
        AccountRules.EnsureMaySignIn(user, time.GetUtcNow().UtcDateTime);
        if (options.Value.RequireConfirmedEmail && !user.EmailConfirmed)
        {
            throw new ChatException(ErrorCodes.EmailNotConfirmed, "confirm your email address first: open the link in the message we sent");
        }
    }

    /// <summary>The answer for a locked name, the same whether or not an account has it.</summary>
    public static ChatException Locked(TimeSpan wait) => new(ErrorCodes.AccountLocked,
        $"too many failed attempts: this account is locked for {Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))} min", wait);
}
