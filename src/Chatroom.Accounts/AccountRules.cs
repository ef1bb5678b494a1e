using System.Globalization;
using System.Net.Mail;
using System.Text;
using Chatroom.Core.Auth;
using Chatroom.Core.Errors;
using Microsoft.AspNetCore.Identity;

namespace Chatroom.Accounts;

/// <summary>The limits on what a person may type into an account, and who may sign in.</summary>
public static class AccountRules
{
    public const int MinUserNameLength = 3;
    public const int MaxUserNameLength = 32;
    public const int MaxDisplayNameLength = 64;
    public const int MaxEmailLength = 254;

    /// <summary>The end of a ban without an end (both stores keep it as an ordinary date).</summary>
    public static readonly DateTime PermanentBan = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Names that would pass for the system or staff.</summary>
    private static readonly string[] Reserved = ["system", "admin", "administrator", "moderator", "assistant", "concierge", "broadcast", "root", "support"];

    /// <summary>
    /// A user name: after NFKC, 3–32 letters, digits, <c>_</c>, <c>-</c> or <c>.</c>. Control and format characters (CR/LF,
    /// zero-width joiners, direction overrides) are refused, which also keeps them out of email headers.
    /// </summary>
    public static string UserName(string? value)
    {
        var name = value?.Normalize(NormalizationForm.FormKC).Trim() ?? string.Empty;
        var length = new StringInfo(name).LengthInTextElements;
        if (length < MinUserNameLength || length > MaxUserNameLength || !name.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw new ChatException(ErrorCodes.InvalidUserName,
                $"user names are {MinUserNameLength}-{MaxUserNameLength} letters, digits, '_', '-' or '.'");
        }

        var skeleton = Names.AccountNameNormalizer.Skeleton(name);
        if (Reserved.Any(r => Names.AccountNameNormalizer.Skeleton(r) == skeleton))
        {
            throw new ChatException(ErrorCodes.InvalidUserName, $"'{name}' is reserved; pick another user name");
        }

        return name;
    }

    /// <summary>The name shown in rooms: 1–64 characters, no control or format characters.</summary>
    public static string DisplayName(string? value)
    {
        var name = value?.Normalize(NormalizationForm.FormKC).Trim() ?? string.Empty;
        var length = new StringInfo(name).LengthInTextElements;
        if (length < 1 || length > MaxDisplayNameLength || name.Any(IsControlOrFormat))
        {
            throw new ChatException(ErrorCodes.InvalidName, $"display names are 1-{MaxDisplayNameLength} characters without control characters");
        }

        return name;
    }

    /// <summary>One plain address (no display name, no CR/LF, no second address hidden in it).</summary>
    public static string Email(string? value)
    {
        var email = value?.Trim() ?? string.Empty;
        if (email.Length is 0 or > MaxEmailLength || email.Any(c => IsControlOrFormat(c) || char.IsWhiteSpace(c) || c is ',' or ';' or '<' or '>' or '"')
            || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || !parsed.Host.Contains('.', StringComparison.Ordinal))
        {
            throw new ChatException(ErrorCodes.InvalidEmail, "that is not an email address");
        }

        return email;
    }

    /// <summary>The password's length, checked before anything hashes it.</summary>
    public static string Password(string? value, AccountsOptions options)
    {
        if (value is not null && value.Length > options.MaxPasswordLength)
        {
            throw new ChatException(ErrorCodes.PasswordTooLong, $"passwords are at most {options.MaxPasswordLength} characters");
        }

        if (string.IsNullOrEmpty(value) || value.Length < options.MinPasswordLength)
        {
            throw new ChatException(ErrorCodes.WeakPassword, $"passwords are at least {options.MinPasswordLength} characters");
        }

        return value;
    }

    public static DateOnly DateOfBirth(DateOnly? value, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (value is not { } date || date > today || date < today.AddYears(-130))
        {
            throw new ChatException(ErrorCodes.InvalidDateOfBirth, "the date of birth must be a real date in the past (yyyy-mm-dd)");
        }

        return date;
    }

    /// <summary>Refuses a disabled or banned account.</summary>
    public static void EnsureMaySignIn(ChatUser user, DateTime nowUtc)
    {
        if (user.DisabledAtUtc is not null)
        {
            throw new ChatException(ErrorCodes.AccountDisabled, "this account is disabled");
        }

        if (user.BannedUntilUtc is { } until && until > nowUtc)
        {
            throw new ChatException(ErrorCodes.AccountBanned, BanSentence(until));
        }
    }

    /// <summary>What a banned account is told, with until when.</summary>
    public static string BanSentence(DateTime untilUtc) => untilUtc >= PermanentBan
        ? "this account is banned permanently"
        : $"this account is banned until {untilUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC";

    /// <summary>The role a token carries: the highest the account holds.</summary>
    public static async Task<string> TopRoleAsync(UserManager<ChatUser> users, ChatUser user)
    {
        var roles = await users.GetRolesAsync(user);
        return roles.Contains(ChatRoles.Admin) ? ChatRoles.Admin
            : roles.Contains(ChatRoles.Moderator) ? ChatRoles.Moderator
            : ChatRoles.User;
    }

    private static bool IsControlOrFormat(char c) =>
        char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
