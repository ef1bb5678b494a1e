using Chatroom.Core.Errors;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Chatroom.Accounts.TwoFactor;

/// <summary>An account's authenticator app (TOTP) and recovery codes.</summary>
public sealed class TwoFactorService(
    UserManager<ChatUser> users, IUserStore<ChatUser> store, TotpVerifier totp, IOptions<AccountsOptions> options)
{
    public const int RecoveryCodeCount = 10;

    public async Task<TwoFactorStatus> StatusAsync(ChatUser user) => new(
        await users.GetTwoFactorEnabledAsync(user),
        await users.GetAuthenticatorKeyAsync(user) is not null,
        await users.CountRecoveryCodesAsync(user));

    /// <summary>
    /// A new authenticator key, not yet in force: <see cref="EnableAsync"/> turns the second factor on once a code from it
    /// checks out. Written through the store because UserManager's reset also changes the security stamp, which would sign
    /// the person out of the page they are enrolling from.
    /// </summary>
    public async Task<AuthenticatorEnrollment> EnrollAsync(ChatUser user, CancellationToken cancellationToken)
    {
        if (await users.GetTwoFactorEnabledAsync(user))
        {
            throw new ChatException(ErrorCodes.TwoFactorAlreadyEnabled, "two-factor sign-in is on already; turn it off before enrolling a new authenticator");
        }

        var key = users.GenerateNewAuthenticatorKey();
        await ((IUserAuthenticatorKeyStore<ChatUser>)store).SetAuthenticatorKeyAsync(user, key, cancellationToken);
        user.LastTotpTimeStep = null;
        Check(await users.UpdateAsync(user));
        var issuer = Uri.EscapeDataString(options.Value.TotpIssuer);
        var uri = $"otpauth://totp/{issuer}:{Uri.EscapeDataString(user.UserName!)}?secret={key}&issuer={issuer}&digits=6";
        return new AuthenticatorEnrollment(key, uri);
    }

    /// <summary>Checks a code from the enrolled authenticator, turns two-factor sign-in on and returns fresh recovery codes.</summary>
    public async Task<RecoveryCodes> EnableAsync(ChatUser user, string? code, CancellationToken cancellationToken)
    {
        if (await users.GetTwoFactorEnabledAsync(user))
        {
            throw new ChatException(ErrorCodes.TwoFactorAlreadyEnabled, "two-factor sign-in is on already");
        }

        await totp.VerifyAsync(user, code, cancellationToken);
        Check(await users.SetTwoFactorEnabledAsync(user, true));
        return new RecoveryCodes((await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))!.ToList());
    }

    /// <summary>Turns two-factor sign-in off (the password proves it is the owner) and forgets the key and codes.</summary>
    public async Task DisableAsync(ChatUser user, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(password) || password.Length > options.Value.MaxPasswordLength || !await users.CheckPasswordAsync(user, password))
        {
            throw new ChatException(ErrorCodes.InvalidPassword, "the password is wrong");
        }

        if (!await users.GetTwoFactorEnabledAsync(user))
        {
            throw new ChatException(ErrorCodes.TwoFactorNotEnabled, "two-factor sign-in is off");
        }

        await TurnOffAsync(user, cancellationToken);
    }

    /// <summary>Turns two-factor sign-in off and forgets the authenticator key and recovery codes (changes the security stamp).</summary>
    public async Task TurnOffAsync(ChatUser user, CancellationToken cancellationToken)
    {
        Check(await users.SetTwoFactorEnabledAsync(user, false));
        await ((IUserAuthenticatorKeyStore<ChatUser>)store).SetAuthenticatorKeyAsync(user, null!, cancellationToken);
        await ((IUserTwoFactorRecoveryCodeStore<ChatUser>)store).ReplaceCodesAsync(user, [], cancellationToken);
        Check(await users.UpdateAsync(user));
    }

    /// <summary>Ten new recovery codes; the old ones stop working.</summary>
    public async Task<RecoveryCodes> NewRecoveryCodesAsync(ChatUser user)
    {
        if (!await users.GetTwoFactorEnabledAsync(user))
        {
            throw new ChatException(ErrorCodes.TwoFactorNotEnabled, "turn two-factor sign-in on first");
        }

        return new RecoveryCodes((await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))!.ToList());
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Updating the account failed: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }
    }
}
