using Chatroom.Accounts.Data;
using Chatroom.Core.Errors;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OtpNet;

namespace Chatroom.Accounts.TwoFactor;

/// <summary>
/// Checks TOTP codes (RFC 6238: 30 s steps, 6 digits, one step of clock drift either way) and refuses a code whose time
/// step is not after the last one used, which Identity's own check does not: a code seen over a shoulder or in a log
/// works once only. The step is claimed with one conditional update, so two requests with one code cannot both win.
/// </summary>
public sealed class TotpVerifier(AccountsDb db, UserManager<ChatUser> users, TimeProvider time)
{
    public async Task VerifyAsync(ChatUser user, string? code, CancellationToken cancellationToken)
    {
        var key = await users.GetAuthenticatorKeyAsync(user)
            ?? throw new ChatException(ErrorCodes.AuthenticatorNotEnrolled, "no authenticator is enrolled; start with POST /api/account/2fa/authenticator");
        var digits = (code ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        var totp = new Totp(Base32Encoding.ToBytes(key));
        if (digits.Length != 6 || !digits.All(char.IsAsciiDigit)
            || !totp.VerifyTotp(time.GetUtcNow().UtcDateTime, digits, out var step, new VerificationWindow(previous: 1, future: 1)))
        {
            throw new ChatException(ErrorCodes.InvalidTwoFactorCode, "the code is wrong or expired");
        }

        var claimed = await db.Users.Where(u => u.Id == user.Id && (u.LastTotpTimeStep == null || u.LastTotpTimeStep < step))
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastTotpTimeStep, step), cancellationToken);
        if (claimed != 1)
        {
            throw new ChatException(ErrorCodes.TwoFactorCodeReused, "this code was used already; wait for the next one");
        }

        // The tracked entity must not write the old step back on its next update.
        user.LastTotpTimeStep = step;
    }
}
