using System.Security.Cryptography;
using Chatroom.Accounts.Data;
using Chatroom.Accounts.Guardians;
using Chatroom.Accounts.Staff;
using Chatroom.Core.Auth;
using Chatroom.Core.Errors;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chatroom.Accounts.Tokens;

/// <summary>
/// Sessions of accounts: the short-lived JWT every service validates plus a rotating refresh token stored hashed. A
/// refresh spends its token with one conditional update, so of two uses of one token exactly one wins; the other use —
/// a copied token — revokes the whole family.
/// </summary>
public sealed partial class AccountSessions(
    AccountsDb db, UserManager<ChatUser> users, ChatTokens tokens, StaffRules staff, AccountSockets sockets, ParticipantProjection participants,
    IOptions<AccountsOptions> options, IOptions<GuardianOptions> guardians, TimeProvider time, ILogger<AccountSessions> logger)
{
    /// <summary>Starts a session (a new family) for an account that passed every sign-in check.</summary>
    public Task<AccountTokens> StartAsync(ChatUser user, ClientInfo client, CancellationToken cancellationToken) =>
        StartAsync(user, client, secondFactor: false, cancellationToken);

    /// <summary>Starts a session (a new family) for an account that passed every sign-in check.</summary>
    /// <param name="secondFactor">
    /// The sign-in proved two factors in one step (a passkey with user verification): staff get their staff role even
    /// without an authenticator app, for this session's lifetime.
    /// </param>
    public Task<AccountTokens> StartAsync(ChatUser user, ClientInfo client, bool secondFactor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var id = NewId();
        return IssueAsync(user, id, now, secondFactor, client, cancellationToken);
    }

    /// <summary>Spends <paramref name="refreshToken"/> and returns the next pair in its family.</summary>
    public async Task<AccountTokens> RefreshAsync(string? refreshToken, ClientInfo client, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(refreshToken) || refreshToken.Length > 256)
        {
            throw new ChatException(ErrorCodes.InvalidRefreshToken, "the refresh token is not valid; sign in again");
        }

        var hash = DatabaseTokenProvider.Hash(refreshToken);
        var stored = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken)
            ?? throw new ChatException(ErrorCodes.InvalidRefreshToken, "the refresh token is not valid; sign in again");
        var now = time.GetUtcNow().UtcDateTime;

        // A banned or disabled account hears why (its sessions were revoked with the ban, which would otherwise read as reuse).
        if (await users.FindByIdAsync(stored.UserId) is { } owner)
        {
            AccountRules.EnsureMaySignIn(owner, now);
        }

        if (stored.RevokedAtUtc is null && stored.ExpiresAtUtc <= now)
        {
            throw new ChatException(ErrorCodes.InvalidRefreshToken, "the refresh token expired; sign in again");
        }

        var spent = stored.RevokedAtUtc is null && await db.RefreshTokens
            .Where(t => t.Id == stored.Id && t.RevokedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAtUtc, now), cancellationToken) == 1;
        if (!spent)
        {
            var revoked = await RevokeFamilyAsync(stored.FamilyId, cancellationToken);
            LogReuse(logger, stored.UserId, stored.FamilyId, revoked);
            throw new ChatException(ErrorCodes.RefreshTokenReused,
                "this refresh token was already used, so it may have been copied: its session is signed out; sign in again");
        }

        var user = await users.FindByIdAsync(stored.UserId);
        if (user is null)
        {
            throw new ChatException(ErrorCodes.InvalidRefreshToken, "the account no longer exists");
        }

        AccountRules.EnsureMaySignIn(user, now);
        return await IssueAsync(user, stored.FamilyId, stored.SessionStartedAtUtc, stored.SecondFactor, client, cancellationToken);
    }

    /// <summary>Ends one session; its access tokens stop working at the next request.</summary>
    public async Task<bool> RevokeAsync(string userId, string sessionId, CancellationToken cancellationToken) =>
        await db.RefreshTokens.Where(t => t.UserId == userId && t.FamilyId == sessionId && t.RevokedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAtUtc, time.GetUtcNow().UtcDateTime), cancellationToken) > 0;

    /// <summary>Sign-out everywhere: see the last overload.</summary>
    public Task RevokeAllAsync(ChatUser user, CancellationToken cancellationToken) => RevokeAllAsync(user, user.SecurityStamp, cancellationToken);

    /// <summary>Sign-out everywhere after a password change or reset, which changed the stamp already (<paramref name="stampBefore"/> was the tokens').</summary>
    public Task RevokeAllAsync(ChatUser user, string? stampBefore, CancellationToken cancellationToken) =>
        RevokeAllAsync(user, ErrorCodes.SignedOut, "this account signed out everywhere or changed its password; sign in again", stampBefore, cancellationToken);

    /// <summary>
    /// Ends every session of the account and changes its security stamp, so every access token it holds stops working,
    /// and closes its live sockets on every node, telling them <paramref name="code"/> and <paramref name="reason"/>;
    /// socket servers refuse tokens with <paramref name="stampBefore"/> from then on.
    /// </summary>
    public async Task RevokeAllAsync(ChatUser user, string code, string reason, string? stampBefore, CancellationToken cancellationToken)
    {
        await db.RefreshTokens.Where(t => t.UserId == user.Id && t.RevokedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAtUtc, time.GetUtcNow().UtcDateTime), cancellationToken);
        var result = await users.UpdateSecurityStampAsync(user);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Changing the security stamp failed: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }

        await sockets.CloseAsync(user.Id, code, reason, stampBefore, cancellationToken);
    }

    /// <summary>The account's live sessions, newest first.</summary>
    public async Task<IReadOnlyList<AccountSession>> ListAsync(string userId, string? currentSessionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var live = await db.RefreshTokens.AsNoTracking()
            .Where(t => t.UserId == userId && t.RevokedAtUtc == null && t.ExpiresAtUtc > now)
            .ToListAsync(cancellationToken);
        return live.OrderByDescending(t => t.CreatedAtUtc)
            .Select(t => new AccountSession(t.FamilyId, Utc(t.SessionStartedAtUtc), Utc(t.CreatedAtUtc), Utc(t.ExpiresAtUtc), t.UserAgent,
                t.Address, t.FamilyId == currentSessionId))
            .ToList();
    }

    private async Task<AccountTokens> IssueAsync(
        ChatUser user, string familyId, DateTime sessionStartedAt, bool secondFactor, ClientInfo client, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var refresh = DatabaseTokenProvider.Base64Url(RandomNumberGenerator.GetBytes(32));
        var refreshExpires = now + options.Value.RefreshTokenLifetime;
        db.RefreshTokens.Add(new RefreshToken
        {
            Id = NewId(),
            UserId = user.Id,
            FamilyId = familyId,
            TokenHash = DatabaseTokenProvider.Hash(refresh),
            CreatedAtUtc = now.UtcDateTime,
            ExpiresAtUtc = refreshExpires.UtcDateTime,
            SessionStartedAtUtc = sessionStartedAt,
            UserAgent = Truncate(client.UserAgent, 256),
            Address = Truncate(client.Address, 64),
            SecondFactor = secondFactor,
        });
        await db.SaveChangesAsync(cancellationToken);

        var role = await staff.TokenRoleAsync(users, user, secondFactor);
        var expires = now + options.Value.AccessTokenLifetime;
        var identity = new ChatIdentity(user.Id, user.DisplayName, role, expires);
        var stamp = await users.GetSecurityStampAsync(user);
        var claims = new Dictionary<string, object>
        {
            [ChatClaims.SecurityStamp] = stamp,
            [ChatClaims.SessionId] = familyId,
            [ChatClaims.UserName] = user.UserName!,
        };

        // A minor waiting for (or refused) a guardian's consent may read but not send: the claim says so to every entry point
        // without a store read per message, and the next refresh after an approval issues a token without it.
        if (Minors.HeldState(user, DateOnly.FromDateTime(now.UtcDateTime), guardians.Value) is { } held)
        {
            claims[ChatClaims.GuardianConsent] = held;
        }

        await participants.RefreshAsync(user, cancellationToken);
        var access = tokens.Issue(identity, claims, now);
        return new AccountTokens(access, expires, refresh, refreshExpires, new AccountUser(user.Id, user.DisplayName, role));
    }

    private Task<int> RevokeFamilyAsync(string familyId, CancellationToken cancellationToken) =>
        db.RefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAtUtc, time.GetUtcNow().UtcDateTime), cancellationToken);

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];

    [LoggerMessage(EventId = 4110, Level = LogLevel.Warning,
        Message = "A spent refresh token of account {UserId} was used again: session {SessionId} revoked ({Revoked} live tokens)")]
    private static partial void LogReuse(ILogger logger, string userId, string sessionId, int revoked);
}
