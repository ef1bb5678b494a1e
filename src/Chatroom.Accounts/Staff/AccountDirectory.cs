using System.Text;
using Chatroom.Accounts.Data;
using Chatroom.Core.Errors;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Chatroom.Accounts.Staff;

/// <summary>Finding accounts for staff: by the start of a user name, display name or email address.</summary>
public sealed class AccountDirectory(AccountsDb db, ILookupNormalizer normalizer, TimeProvider time)
{
    public const int DefaultTake = 50;
    public const int MaxTake = 100;

    /// <summary>
    /// Accounts whose user name, display name or email starts with <paramref name="query"/>, after sign-up's normalisation:
    /// a user name is matched on its skeleton (so <c>ALICE</c> and <c>аlice</c> find <c>alice</c>), an email on its
    /// case-folded form, a display name without regard to case. Ordered by user name.
    /// </summary>
    public async Task<AdminUserPage> SearchAsync(string? query, int? skip, int? take, CancellationToken cancellationToken)
    {
        var count = take ?? DefaultTake;
        var offset = skip ?? 0;
        if (count is < 1 or > MaxTake || offset < 0)
        {
            throw new ChatException(ErrorCodes.InvalidRequest, $"take is 1-{MaxTake} and skip is 0 or more");
        }

        var text = query?.Normalize(NormalizationForm.FormKC).Trim() ?? string.Empty;
        if (text.Length > AccountRules.MaxEmailLength)
        {
            throw new ChatException(ErrorCodes.InvalidRequest, $"a search is at most {AccountRules.MaxEmailLength} characters");
        }

        var accounts = db.Users.AsNoTracking();
        if (text.Length > 0)
        {
            var name = normalizer.NormalizeName(text)!;
            var email = normalizer.NormalizeEmail(text)!;
            var display = text.ToUpperInvariant();
            accounts = accounts.Where(u => u.NormalizedUserName!.StartsWith(name) || u.NormalizedEmail!.StartsWith(email)
                || u.DisplayName.ToUpper().StartsWith(display));
        }

        var total = await accounts.CountAsync(cancellationToken);
        var rows = await accounts.OrderBy(u => u.NormalizedUserName).ThenBy(u => u.Id).Skip(offset).Take(count)
            .Select(u => new
            {
                u.Id,
                u.UserName,
                u.DisplayName,
                u.Email,
                u.TwoFactorEnabled,
                u.BannedUntilUtc,
                u.BanReason,
                u.DisabledAtUtc,
                u.CreatedAtUtc,
                Roles = db.UserRoles.Where(r => r.UserId == u.Id).Select(r => r.RoleId).ToList(),
                Passkeys = db.UserPasskeys.Count(p => p.UserId == u.Id),
                LastSignIn = db.RefreshTokens.Where(t => t.UserId == u.Id).Max(t => (DateTime?)t.SessionStartedAtUtc),
            })
            .ToListAsync(cancellationToken);

        var now = time.GetUtcNow().UtcDateTime;
        var users = rows.Select(u => new AdminUser(
                u.Id, u.UserName!, u.DisplayName, u.Email, u.Roles.Order(StringComparer.Ordinal).ToList(), u.TwoFactorEnabled, u.Passkeys,
                Ban(u.BannedUntilUtc, u.BanReason, now), u.DisabledAtUtc is not null, Utc(u.CreatedAtUtc),
                u.LastSignIn is { } last ? Utc(last) : null))
            .ToList();
        return new AdminUserPage(users, total);
    }

    /// <summary>The ban in force, if any.</summary>
    public static AccountBan? Ban(DateTime? untilUtc, string? reason, DateTime nowUtc) =>
        untilUtc is { } until && until > nowUtc ? new AccountBan(Utc(until), reason) : null;

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
