using Chatroom.Accounts.Data;
using Chatroom.Accounts.Email;
using Chatroom.Accounts.Guardians;
using Chatroom.Accounts.Staff;
using Chatroom.Accounts.Tokens;
using Chatroom.Accounts.TwoFactor;
using Chatroom.Core.Auth;
using Chatroom.Core.Errors;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chatroom.Accounts.SignIn;

/// <summary>
/// Sign-up, email confirmation, sign-in with an optional second factor, and password reset. Answers about an address or
/// a name someone does not own never say whether an account exists, except that a user name is taken.
/// </summary>
public sealed partial class AccountService(
    AccountsDb db, UserManager<ChatUser> users, AccountSessions sessions, AccountEmails emails, TotpVerifier totp,
    SignInLimiter limiter, SignInChecks checks, StaffRules staff, ParticipantProjection participants, IOptions<AccountsOptions> options,
    IOptions<GuardianOptions> guardians, TimeProvider time, ILogger<AccountService> logger)
{
    public static readonly IReadOnlyList<string> TwoFactorMethods = ["totp", "recovery_code"];

    // Hashed for unknown names so a wrong name costs as long as a wrong password.
    private static readonly ChatUser Nobody = new() { Id = "nobody", UserName = "nobody" };
    private static string? _nobodyHash;

    /// <summary>
    /// Creates the account and sends the confirmation email in one transaction: if anything fails (the name is taken
    /// meanwhile, the mail server refuses) no account remains. An address already registered gets a notice instead,
    /// and the caller sees the same answer either way.
    /// </summary>
    public async Task RegisterAsync(
        string? userName, string? displayName, string? email, string? password, DateOnly? dateOfBirth, ClientInfo client,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var name = AccountRules.UserName(userName);
        var display = displayName is null ? name : AccountRules.DisplayName(displayName);
        var address = AccountRules.Email(email);
        var secret = AccountRules.Password(password, settings);
        var born = AccountRules.DateOfBirth(dateOfBirth, time.GetUtcNow());
        if (await users.FindByNameAsync(name) is not null)
        {
            throw new ChatException(ErrorCodes.UserNameTaken, "that user name, or one that looks the same, is taken");
        }

        if (await users.FindByEmailAsync(address) is { } owner)
        {
            await emails.SendAlreadyRegisteredAsync(owner, cancellationToken);
            LogAddressTaken(logger, owner.Id);
            return;
        }

        var strategy = db.Database.CreateExecutionStrategy();
        try
        {
            await CreateAsync(strategy, name, display, address, secret, born, client, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A unique index (normalised name or normalised email) caught a sign-up that raced this one; the transaction
            // rolled back, so nothing of this one remains. Answer as if the other had come first.
            db.ChangeTracker.Clear();
            if (await users.FindByNameAsync(name) is not null)
            {
                throw new ChatException(ErrorCodes.UserNameTaken, "that user name, or one that looks the same, is taken");
            }

            if (await users.FindByEmailAsync(address) is not { } winner)
            {
                throw;
            }

            await emails.SendAlreadyRegisteredAsync(winner, cancellationToken);
            LogAddressTaken(logger, winner.Id);
        }
    }

    private Task CreateAsync(
        Microsoft.EntityFrameworkCore.Storage.IExecutionStrategy strategy, string name, string display, string address, string secret,
        DateOnly born, ClientInfo client, CancellationToken cancellationToken) =>
        strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);

            // Below the consent age the account starts waiting for a guardian; every minor starts with private messages from contacts only.
            var (guardianState, directMessages) = Minors.Initial(born, Minors.Today(time), guardians.Value);
            var user = new ChatUser
            {
                Id = "a_" + Guid.NewGuid().ToString("N")[..20],
                UserName = name,
                DisplayName = display,
                Email = address,
                DateOfBirth = born,
                CreatedAtUtc = time.GetUtcNow().UtcDateTime,
                GuardianState = guardianState,
                DirectMessages = directMessages,
            };
            Check(await users.CreateAsync(user, secret));
            Check(await users.AddToRoleAsync(user, ChatRoles.User));
            var token = await users.GenerateEmailConfirmationTokenAsync(user);
            await emails.SendConfirmationAsync(user, Link(client, "/account/confirm-email", user.Id, token), ct);
            await transaction.CommitAsync(ct);
            LogRegistered(logger, user.Id);
            await participants.ProjectAsync(user, ct);
        }, cancellationToken);

    public async Task ConfirmEmailAsync(string? userId, string? token, CancellationToken cancellationToken)
    {
        var user = await FindForTokenAsync(userId, token);
        var result = await users.ConfirmEmailAsync(user, token!);
        if (!result.Succeeded)
        {
            throw InvalidLink();
        }

        await DatabaseTokenProvider.SpendAsync(users, user, UserManager<ChatUser>.ConfirmEmailTokenPurpose);
    }

    /// <summary>The password step: tokens, or a ticket for the second factor when the account has one.</summary>
    public async Task<object> SignInAsync(string? login, string? password, ClientInfo client, CancellationToken cancellationToken)
    {
        var user = await CheckPasswordAsync(login, password);
        return await AfterPasswordAsync(user, client, cancellationToken);
    }

    /// <summary>
    /// The admin console's door (<c>POST /api/auth/admin</c>): the password step for a staff account (admin or moderator;
    /// the console shows a moderator the review queues only), <c>admin</c> unless another is named. Refusals keep the console's codes (<c>invalid_password</c>, <c>admin_disabled</c>); an admin
    /// without a second factor where staff need one is refused with <c>two_factor_required</c>.
    /// </summary>
    public async Task<object> SignInAdminAsync(string? login, string? password, ClientInfo client, CancellationToken cancellationToken)
    {
        var name = string.IsNullOrWhiteSpace(login) ? AdminOptions.UserName : login;
        ChatUser user;
        try
        {
            user = await CheckPasswordAsync(name, password);
        }
        catch (ChatException refusal) when (refusal.Code == ErrorCodes.InvalidCredentials)
        {
            if (string.IsNullOrWhiteSpace(login) && await users.FindByIdAsync(AdminBootstrap.AccountId) is null
                && await users.FindByNameAsync(AdminOptions.UserName) is null)
            {
                throw new ChatException(ErrorCodes.AdminDisabled, "admin sign-in is off: there is no admin account (set Chatroom:Admin:Password to create one)");
            }

            throw new ChatException(ErrorCodes.InvalidPassword, "the admin password is wrong");
        }

        var (role, missingSecondFactor) = await staff.RoleAsync(users, user);
        if (!StaffRules.IsStaff(role))
        {
            throw new ChatException(ErrorCodes.Forbidden, "this account is not an admin or a moderator");
        }

        if (missingSecondFactor)
        {
            throw new ChatException(ErrorCodes.TwoFactorRequired,
                "admins need a second factor: sign in at /api/auth/login, enrol one at /api/account/2fa, then sign in here again");
        }

        return await AfterPasswordAsync(user, client, cancellationToken);
    }

    /// <summary>Tokens for an account whose password was right, or a ticket for its second factor.</summary>
    private async Task<object> AfterPasswordAsync(ChatUser user, ClientInfo client, CancellationToken cancellationToken)
    {
        if (await users.GetTwoFactorEnabledAsync(user))
        {
            // The failure count stays until the second factor passes too: a stolen password alone must not reset it.
            var ticket = await users.GenerateUserTokenAsync(user, DatabaseTokenProvider.Name, DatabaseTokenProvider.TwoFactorTicketPurpose);
            return new TwoFactorChallenge(true, TwoFactorMethods, user.Id + "." + ticket);
        }

        await users.ResetAccessFailedCountAsync(user);
        return await sessions.StartAsync(user, client, cancellationToken);
    }

    /// <summary>Checks the password and whether the account may sign in; counts failures towards the lockout.</summary>
    private async Task<ChatUser> CheckPasswordAsync(string? login, string? password)
    {
        var settings = options.Value;
        if (password is not null && password.Length > settings.MaxPasswordLength)
        {
            throw new ChatException(ErrorCodes.PasswordTooLong, $"passwords are at most {settings.MaxPasswordLength} characters");
        }

        var name = (login ?? string.Empty).Trim();
        if (name.Length is 0 or > AccountRules.MaxEmailLength || string.IsNullOrEmpty(password))
        {
            throw WrongCredentials();
        }

        var normalizer = users.KeyNormalizer;
        var key = name.Contains('@', StringComparison.Ordinal) ? normalizer.NormalizeEmail(name)! : normalizer.NormalizeName(name)!;
        limiter.Acquire(key);
        var user = name.Contains('@', StringComparison.Ordinal) ? await users.FindByEmailAsync(name) : await users.FindByNameAsync(name);
        if (user is null)
        {
            // Everything an account's wrong password gets, in the same order: the lockout check, a hash, the count.
            limiter.EnsureUnknownNameNotLocked(key);
            _nobodyHash ??= users.PasswordHasher.HashPassword(Nobody, "not a password of anyone");
            users.PasswordHasher.VerifyHashedPassword(Nobody, _nobodyHash, password);
            limiter.UnknownNameFailed(key);
            throw WrongCredentials();
        }

        await checks.EnsureNotLockedOutAsync(user);
        if (!await users.CheckPasswordAsync(user, password))
        {
            await users.AccessFailedAsync(user);
            await checks.EnsureNotLockedOutAsync(user);
            throw WrongCredentials();
        }

        checks.EnsureMaySignIn(user);
        return user;
    }

    /// <summary>The second-factor step: the ticket from the password step and a TOTP code or a recovery code.</summary>
    public async Task<AccountTokens> SignInSecondFactorAsync(
        string? ticket, string? code, string? recoveryCode, ClientInfo client, CancellationToken cancellationToken)
    {
        var parts = (ticket ?? string.Empty).Split('.', 2);
        var user = parts.Length == 2 && parts[0].Length <= 64 && parts[1].Length <= 128 ? await users.FindByIdAsync(parts[0]) : null;
        if (user is null || !await users.VerifyUserTokenAsync(user, DatabaseTokenProvider.Name, DatabaseTokenProvider.TwoFactorTicketPurpose, parts[1]))
        {
            throw new ChatException(ErrorCodes.InvalidTwoFactorTicket, "the sign-in ticket is wrong or expired; sign in with your password again");
        }

        await checks.EnsureNotLockedOutAsync(user);
        try
        {
            if (!string.IsNullOrWhiteSpace(recoveryCode))
            {
                var redeemed = recoveryCode.Length <= 32 && (await users.RedeemTwoFactorRecoveryCodeAsync(user, recoveryCode.Trim().ToUpperInvariant())).Succeeded;
                if (!redeemed)
                {
                    throw new ChatException(ErrorCodes.InvalidTwoFactorCode, "that recovery code is wrong or was used already");
                }
            }
            else
            {
                await totp.VerifyAsync(user, code, cancellationToken);
            }
        }
        catch (ChatException refusal) when (refusal.Code is ErrorCodes.InvalidTwoFactorCode or ErrorCodes.TwoFactorCodeReused)
        {
            await users.AccessFailedAsync(user);
            await checks.EnsureNotLockedOutAsync(user);
            throw;
        }

        AccountRules.EnsureMaySignIn(user, time.GetUtcNow().UtcDateTime);
        await DatabaseTokenProvider.SpendAsync(users, user, DatabaseTokenProvider.TwoFactorTicketPurpose);
        await users.ResetAccessFailedCountAsync(user);
        return await sessions.StartAsync(user, client, cancellationToken);
    }

    /// <summary>Sends a reset link when the address belongs to a confirmed account; the caller learns nothing either way.</summary>
    public async Task ForgotPasswordAsync(string? email, ClientInfo client, CancellationToken cancellationToken)
    {
        var address = AccountRules.Email(email);
        if (await users.FindByEmailAsync(address) is not { EmailConfirmed: true } user)
        {
            return;
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        await emails.SendPasswordResetAsync(user, Link(client, "/account/reset-password", user.Id, token), cancellationToken);
    }

    /// <summary>Sets the new password and signs the account out everywhere.</summary>
    public async Task ResetPasswordAsync(string? userId, string? token, string? password, CancellationToken cancellationToken)
    {
        var secret = AccountRules.Password(password, options.Value);
        var user = await FindForTokenAsync(userId, token);
        var stamp = user.SecurityStamp;
        var result = await users.ResetPasswordAsync(user, token!, secret);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken)))
            {
                throw InvalidLink();
            }

            throw WeakPassword(result);
        }

        await DatabaseTokenProvider.SpendAsync(users, user, UserManager<ChatUser>.ResetPasswordTokenPurpose);
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await sessions.RevokeAllAsync(user, stamp, cancellationToken);
    }

    internal static ChatException WeakPassword(IdentityResult result) => new(ErrorCodes.WeakPassword,
        "the password is too weak: " + string.Join(" ", result.Errors.Select(e => e.Description)));

    private async Task<ChatUser> FindForTokenAsync(string? userId, string? token)
    {
        if (string.IsNullOrEmpty(userId) || userId.Length > 64 || string.IsNullOrEmpty(token) || token.Length > 128)
        {
            throw InvalidLink();
        }

        return await users.FindByIdAsync(userId) ?? throw InvalidLink();
    }

    private string Link(ClientInfo client, string path, string userId, string token) =>
        $"{Origin(options.Value, client)}{path}?userId={Uri.EscapeDataString(userId)}&token={Uri.EscapeDataString(token)}";

    /// <summary>Where email links point: <c>Chatroom:Accounts:PublicUrl</c>, else localhost on the port the request came in on (never the Host header).</summary>
    internal static string Origin(AccountsOptions options, ClientInfo client) => string.IsNullOrWhiteSpace(options.PublicUrl)
        ? $"http://localhost:{client.LocalPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
        : options.PublicUrl.TrimEnd('/');

    private static ChatException WrongCredentials() => new(ErrorCodes.InvalidCredentials, "the user name or password is wrong");

    private static ChatException InvalidLink() => new(ErrorCodes.InvalidToken, "this link is wrong, expired or used already; ask for a new one");

    private static void Check(IdentityResult result)
    {
        if (result.Succeeded)
        {
            return;
        }

        var codes = result.Errors.Select(e => e.Code).ToList();
        if (codes.Contains(nameof(IdentityErrorDescriber.DuplicateUserName)))
        {
            throw new ChatException(ErrorCodes.UserNameTaken, "that user name, or one that looks the same, is taken");
        }

        if (codes.Contains(nameof(IdentityErrorDescriber.DuplicateEmail)))
        {
            // Identity's own check saw a racing sign-up's address committed: the same outcome as the unique index refusing it.
            throw new DbUpdateException("the email address was registered by a sign-up that raced this one");
        }

        if (codes.Any(c => c.StartsWith("Password", StringComparison.Ordinal)))
        {
            throw WeakPassword(result);
        }

        throw new ChatException(ErrorCodes.InvalidRequest, "the account could not be created: " + string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    [LoggerMessage(EventId = 4120, Level = LogLevel.Information, Message = "Account {UserId} registered")]
    private static partial void LogRegistered(ILogger logger, string userId);

    [LoggerMessage(EventId = 4121, Level = LogLevel.Information, Message = "Sign-up with the address of account {UserId}: a notice was sent instead")]
    private static partial void LogAddressTaken(ILogger logger, string userId);
}
