using System.Security.Cryptography;
using Chatroom.Accounts.Data;
using Chatroom.Accounts.Email;
using Chatroom.Accounts.SignIn;
using Chatroom.Accounts.Tokens;
using Chatroom.Core.Contacts;
using Chatroom.Core.Errors;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chatroom.Accounts.Guardians;

/// <summary>
/// Guardian consent for minors: the minor names a guardian's address, the guardian opens the single-use link signed in
/// as an adult with a second factor and approves or declines; later the guardian lists their minors, sets who may send
/// them private messages, or revokes (the account is disabled and its sockets close at once). Every change is projected
/// into the chat backend's participant store; auditing is the caller's (the API names the acting account).
/// </summary>
public sealed partial class GuardianService(
    AccountsDb db, UserManager<ChatUser> users, AccountEmails emails, AccountSessions sessions, ParticipantProjection participants,
    IOptions<GuardianOptions> options, IOptions<AccountsOptions> accounts, TimeProvider time, ILogger<GuardianService> logger)
{
    public const string Approve = "approve";
    public const string Decline = "decline";

    /// <summary>What the guardian sees of the minor's chat, shown on the consent page.</summary>
    public const string GuardianSees =
        "safety events that involve the account (alerts and moderator decisions), not the messages themselves";

    private const int MaxTokenLength = 128;

    /// <summary>The minor's own view: whether a guardian is needed and the last request.</summary>
    public async Task<GuardianStatus> StatusAsync(ChatUser minor, CancellationToken cancellationToken)
    {
        var last = await db.GuardianConsents.AsNoTracking().Where(c => c.MinorUserId == minor.Id)
            .OrderByDescending(c => c.CreatedAtUtc).FirstOrDefaultAsync(cancellationToken);
        var waiting = last is { UsedAtUtc: null } && minor.GuardianState == GuardianStates.Pending;
        return new GuardianStatus(
            Minors.HeldState(minor, Minors.Today(time), options.Value) is not null, minor.GuardianState,
            waiting ? last!.GuardianEmail : null, waiting ? Utc(last!.CreatedAtUtc) : null, waiting ? Utc(last!.ExpiresAtUtc) : null,
            minor.DirectMessages);
    }

    /// <summary>
    /// Sends a consent link to <paramref name="guardianEmail"/>; an earlier unused link of this minor stops working. The
    /// link row and the state are committed only after the mail server took the message. At most
    /// <see cref="GuardianOptions.ConsentRequestsPerDay"/> per 24 hours, so the form cannot be used to flood an inbox.
    /// </summary>
    public async Task<GuardianStatus> RequestAsync(ChatUser minor, string? guardianEmail, ClientInfo client, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var address = AccountRules.Email(guardianEmail);
        if (minor.GuardianState is not (GuardianStates.Pending or GuardianStates.Declined)
            || !Minors.NeedsConsent(minor.DateOfBirth, Minors.Today(time), settings))
        {
            throw new ChatException(ErrorCodes.GuardianNotNeeded, "this account does not need a guardian's consent");
        }

        if (users.NormalizeEmail(address) == minor.NormalizedEmail)
        {
            throw new ChatException(ErrorCodes.GuardianEmailOwn, "name your parent's or guardian's address, not your own");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var dayAgo = now.AddDays(-1);
        var recent = await db.GuardianConsents.AsNoTracking().Where(c => c.MinorUserId == minor.Id && c.CreatedAtUtc > dayAgo)
            .Select(c => c.CreatedAtUtc).ToListAsync(cancellationToken);
        if (recent.Count >= settings.ConsentRequestsPerDay)
        {
            var wait = recent.Min().AddDays(1) - now;
            throw new ChatException(ErrorCodes.RateLimited,
                $"at most {settings.ConsentRequestsPerDay} guardian emails a day; try again in {Math.Ceiling(wait.TotalHours)} h", wait);
        }

        var token = DatabaseTokenProvider.Base64Url(RandomNumberGenerator.GetBytes(32));
        var consent = new GuardianConsent
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            MinorUserId = minor.Id,
            GuardianEmail = address,
            TokenHash = DatabaseTokenProvider.Hash(token),
            CreatedAtUtc = now,
            ExpiresAtUtc = now + settings.ConsentLinkLifetime,
        };
        var link = $"{AccountService.Origin(accounts.Value, client)}/account/guardian/consent?token={Uri.EscapeDataString(token)}";
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.GuardianConsents.Where(c => c.MinorUserId == minor.Id && c.UsedAtUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAtUtc, now).SetProperty(c => c.Decision, GuardianConsent.Superseded), ct);
            db.GuardianConsents.Add(consent);
            minor.GuardianState = GuardianStates.Pending;
            await db.SaveChangesAsync(ct);
            await emails.SendGuardianConsentAsync(address, minor, link, Utc(consent.ExpiresAtUtc), ct);
            await transaction.CommitAsync(ct);
        }, cancellationToken);
        LogRequested(logger, minor.Id);
        await participants.ProjectAsync(minor, cancellationToken);
        return await StatusAsync(minor, cancellationToken);
    }

    /// <summary>What the link shows the signed-in <paramref name="guardian"/>; refused when used, expired or opened by the minor.</summary>
    public async Task<ConsentView> ViewAsync(string? token, ChatUser guardian, CancellationToken cancellationToken)
    {
        var (consent, minor) = await OpenAsync(token, guardian, cancellationToken);
        var today = Minors.Today(time);
        return new ConsentView(
            Summary(minor, today), consent.GuardianEmail, Utc(consent.ExpiresAtUtc),
            new AllowedChat(PublicRooms: true, minor.DirectMessages, MessageRequests: true, GuardianSees),
            new GuardianReadiness(!Minors.IsMinor(guardian.DateOfBirth, today), await HasSecondFactorAsync(guardian)));
    }

    /// <summary>
    /// Approves or declines. The guardian must be an adult with a second factor enrolled; the link is spent with one
    /// conditional update, so of two decisions on one link exactly one wins.
    /// </summary>
    public async Task<ConsentDecision> DecideAsync(
        string? token, ChatUser guardian, string? decision, string? directMessages, CancellationToken cancellationToken)
    {
        if (decision is not (Approve or Decline))
        {
            throw new ChatException(ErrorCodes.InvalidRequest, "decision must be 'approve' or 'decline'");
        }

        var policy = directMessages is null ? null : DirectMessagePolicy(directMessages);
        var (consent, minor) = await OpenAsync(token, guardian, cancellationToken);
        if (minor.GuardianState != GuardianStates.Pending || !Minors.NeedsConsent(minor.DateOfBirth, Minors.Today(time), options.Value))
        {
            // An admin corrected the date of birth meanwhile, or the account was revoked: nothing is left to decide.
            throw new ChatException(ErrorCodes.GuardianNotNeeded, "this account no longer waits for a guardian's consent");
        }

        if (Minors.IsMinor(guardian.DateOfBirth, Minors.Today(time)))
        {
            throw new ChatException(ErrorCodes.GuardianNotAdult, "a guardian must be an adult");
        }

        if (!await HasSecondFactorAsync(guardian))
        {
            throw new ChatException(ErrorCodes.GuardianSecondFactorRequired,
                "guardians need two-step sign-in: enrol an authenticator app on your account page, sign in again, then open the link again");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var spent = await db.GuardianConsents.Where(c => c.Id == consent.Id && c.UsedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAtUtc, now).SetProperty(c => c.Decision, decision)
                .SetProperty(c => c.GuardianUserId, guardian.Id), cancellationToken) == 1;
        if (!spent)
        {
            throw new ChatException(ErrorCodes.ConsentUsed, "this consent link was used already");
        }

        if (decision == Approve)
        {
            minor.GuardianState = GuardianStates.Approved;
            minor.GuardianUserId = guardian.Id;
            minor.DirectMessages = policy ?? minor.DirectMessages;
        }
        else
        {
            minor.GuardianState = GuardianStates.Declined;
            minor.GuardianUserId = null;
        }

        minor.GuardianDecidedAtUtc = now;
        await UpdateAsync(minor);
        LogDecided(logger, minor.Id, guardian.Id, decision);
        await participants.ProjectAsync(minor, cancellationToken);
        return new ConsentDecision(minor.Id, minor.GuardianState, minor.DirectMessages);
    }

    /// <summary>The guardian's minors, approved or revoked, by display name.</summary>
    public async Task<IReadOnlyList<GuardedMinor>> MinorsAsync(ChatUser guardian, CancellationToken cancellationToken)
    {
        var today = Minors.Today(time);
        var minors = await db.Users.AsNoTracking().Where(u => u.GuardianUserId == guardian.Id).ToListAsync(cancellationToken);
        return minors.OrderBy(m => m.DisplayName, StringComparer.CurrentCultureIgnoreCase)
            .Select(m => new GuardedMinor(m.Id, m.UserName!, m.DisplayName, Minors.Age(m.DateOfBirth, today), m.GuardianState, m.DirectMessages,
                m.DisabledAtUtc is not null, m.GuardianDecidedAtUtc is { } at ? Utc(at) : null))
            .ToList();
    }

    /// <summary>Who may send the minor a first private message: <c>off</c>, <c>contacts</c> (accepted contacts only) or <c>everyone</c>.</summary>
    public async Task<GuardedMinor> SetRestrictionsAsync(ChatUser guardian, string minorId, string? directMessages, CancellationToken cancellationToken)
    {
        var policy = DirectMessagePolicy(directMessages);
        var minor = await MinorOfAsync(guardian, minorId);
        minor.DirectMessages = policy;
        await UpdateAsync(minor);
        await participants.ProjectAsync(minor, cancellationToken);
        return (await MinorsAsync(guardian, cancellationToken)).Single(m => m.Id == minor.Id);
    }

    /// <summary>Withdraws consent: the account is disabled, signed out everywhere, and its sockets close on every node.</summary>
    public async Task<GuardedMinor> RevokeAsync(ChatUser guardian, string minorId, CancellationToken cancellationToken)
    {
        var minor = await MinorOfAsync(guardian, minorId);
        var now = time.GetUtcNow().UtcDateTime;
        var stamp = minor.SecurityStamp;
        minor.GuardianState = GuardianStates.Revoked;
        minor.GuardianDecidedAtUtc = now;
        minor.DisabledAtUtc ??= now;
        await UpdateAsync(minor);
        await sessions.RevokeAllAsync(minor, ErrorCodes.AccountDisabled, "your guardian withdrew their consent: this account is disabled", stamp,
            cancellationToken);
        LogRevoked(logger, minor.Id, guardian.Id);
        await participants.ProjectAsync(minor, cancellationToken);
        return (await MinorsAsync(guardian, cancellationToken)).Single(m => m.Id == minor.Id);
    }

    /// <summary>Whether <paramref name="guardian"/> is the approving (or revoking) guardian of <paramref name="minorId"/>.</summary>
    public async Task<bool> IsGuardianOfAsync(ChatUser guardian, string minorId, CancellationToken cancellationToken) =>
        minorId.Length <= 64 && await db.Users.AsNoTracking().AnyAsync(u => u.Id == minorId && u.GuardianUserId == guardian.Id, cancellationToken);

    /// <summary>
    /// An admin correcting a date of birth (the person cannot once they are, or would become, a minor). The guardian state
    /// follows: newly below the consent age waits for a guardian, past it is released; a change of what the token says
    /// signs the account out everywhere so the next token carries it.
    /// </summary>
    public async Task<ChatUser> CorrectBirthDateAsync(string userId, DateOnly? dateOfBirth, CancellationToken cancellationToken)
    {
        var born = AccountRules.DateOfBirth(dateOfBirth, time.GetUtcNow());
        var user = (userId.Length <= 64 ? await users.FindByIdAsync(userId) : null)
            ?? throw new ChatException(ErrorCodes.NotFound, "no such account");
        var today = Minors.Today(time);
        var heldBefore = Minors.HeldState(user, today, options.Value);
        var stamp = user.SecurityStamp;
        user.DateOfBirth = born;
        if (Minors.NeedsConsent(born, today, options.Value))
        {
            if (user.GuardianState == GuardianStates.None)
            {
                user.GuardianState = GuardianStates.Pending;
            }
        }
        else if (user.GuardianState is GuardianStates.Pending or GuardianStates.Declined)
        {
            user.GuardianState = GuardianStates.None;
        }

        if (Minors.IsMinor(born, today) && user.DirectMessages == DirectMessagePolicies.Everyone && user.GuardianUserId is null)
        {
            user.DirectMessages = DirectMessagePolicies.Contacts;
        }

        await UpdateAsync(user);
        if (Minors.HeldState(user, today, options.Value) != heldBefore)
        {
            await sessions.RevokeAllAsync(user, stamp, cancellationToken);
        }

        await participants.ProjectAsync(user, cancellationToken);
        return user;
    }

    private static string DirectMessagePolicy(string? value) => value switch
    {
        DirectMessagePolicies.Off or DirectMessagePolicies.Contacts or DirectMessagePolicies.Everyone => value,
        _ => throw new ChatException(ErrorCodes.InvalidRequest, "directMessages must be 'off', 'contacts' or 'everyone'"),
    };

    private async Task<(GuardianConsent Consent, ChatUser Minor)> OpenAsync(string? token, ChatUser guardian, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            throw InvalidConsent();
        }

        var hash = DatabaseTokenProvider.Hash(token);
        var consent = await db.GuardianConsents.AsNoTracking().FirstOrDefaultAsync(c => c.TokenHash == hash, cancellationToken);
        if (consent is null || consent.Decision == GuardianConsent.Superseded)
        {
            throw InvalidConsent();
        }

        if (consent.MinorUserId == guardian.Id)
        {
            throw new ChatException(ErrorCodes.ConsentOwnAccount, "this link is for your parent or guardian, not for you");
        }

        if (consent.UsedAtUtc is not null)
        {
            throw new ChatException(ErrorCodes.ConsentUsed, "this consent link was used already");
        }

        if (consent.ExpiresAtUtc <= time.GetUtcNow().UtcDateTime)
        {
            throw new ChatException(ErrorCodes.ConsentExpired, "this consent link expired; ask for a new one from the account");
        }

        var minor = await users.FindByIdAsync(consent.MinorUserId) ?? throw InvalidConsent();
        return (consent, minor);
    }

    private async Task<ChatUser> MinorOfAsync(ChatUser guardian, string minorId)
    {
        var minor = minorId.Length <= 64 ? await users.FindByIdAsync(minorId) : null;
        return minor is not null && minor.GuardianUserId == guardian.Id
            ? minor
            : throw new ChatException(ErrorCodes.NotFound, "no such minor of yours");
    }

    /// <summary>A guardian's second factor: TOTP, which every password sign-in of the account then asks for.</summary>
    private Task<bool> HasSecondFactorAsync(ChatUser guardian) => users.GetTwoFactorEnabledAsync(guardian);

    private async Task UpdateAsync(ChatUser user)
    {
        var result = await users.UpdateAsync(user);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Updating the account failed: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }
    }

    private static MinorSummary Summary(ChatUser minor, DateOnly today) =>
        new(minor.Id, minor.UserName!, minor.DisplayName, Minors.Age(minor.DateOfBirth, today));

    private static ChatException InvalidConsent() => new(ErrorCodes.ConsentInvalid, "this consent link is wrong or was replaced by a newer one");

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    [LoggerMessage(EventId = 4171, Level = LogLevel.Information, Message = "Account {UserId} asked a guardian for consent")]
    private static partial void LogRequested(ILogger logger, string userId);

    [LoggerMessage(EventId = 4172, Level = LogLevel.Information, Message = "Guardian {GuardianId} decided on account {UserId}: {Decision}")]
    private static partial void LogDecided(ILogger logger, string userId, string guardianId, string decision);

    [LoggerMessage(EventId = 4173, Level = LogLevel.Warning, Message = "Guardian {GuardianId} revoked consent for account {UserId}: disabled")]
    private static partial void LogRevoked(ILogger logger, string userId, string guardianId);
}
