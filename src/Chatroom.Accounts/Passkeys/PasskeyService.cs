using System.Security.Cryptography;
using System.Text.Json;
using Chatroom.Accounts.Data;
using Chatroom.Accounts.SignIn;
using Chatroom.Accounts.Tokens;
using Chatroom.Core.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chatroom.Accounts.Passkeys;

/// <summary>
/// Passkeys on Identity's <see cref="IPasskeyHandler{TUser}"/> (not SignInManager's, which keeps its state in a cookie):
/// enrolment by a signed-in account, sign-in without a password, and the account's list of them. Each ceremony's state
/// is a <see cref="PasskeyCeremony"/> row, claimed once; refusals carry stable codes and store nothing.
/// </summary>
public sealed partial class PasskeyService(
    AccountsDb db, UserManager<ChatUser> users, IUserStore<ChatUser> store, IPasskeyHandler<ChatUser> handler, AccountSessions sessions,
    SignInChecks checks, IOptions<PasskeyOptions> options, TimeProvider time, ILogger<PasskeyService> logger)
{
    /// <summary>Set on the request by the origin check when it refused, so the refusal can say so.</summary>
    internal const string OriginRefusedItem = "Chatroom.Passkeys.OriginRefused";

    public const int MaxNameLength = 64;

    // The options route of sign-in names no account ("-" is no account's id): an answer naming one must then fail alike.
    private const string NoAccount = "-";

    // Rows are kept a while past their end so a late answer hears passkey_expired rather than passkey_invalid.
    private static readonly TimeSpan KeepExpired = TimeSpan.FromHours(1);

    private IUserPasskeyStore<ChatUser> Passkeys => (IUserPasskeyStore<ChatUser>)store;

    /// <summary>Options for the browser to create a passkey for <paramref name="user"/>.</summary>
    public async Task<PasskeyCeremonyOptions> CreationOptionsAsync(ChatUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var made = await handler.MakeCreationOptionsAsync(
            new PasskeyUserEntity { Id = user.Id, Name = user.UserName!, DisplayName = user.DisplayName }, http);
        return await BeginAsync(PasskeyCeremony.Create, user.Id, made.CreationOptionsJson, made.AttestationState, cancellationToken);
    }

    /// <summary>Checks the browser's new credential against the ceremony and stores it under <paramref name="name"/>.</summary>
    public async Task<NewPasskey> EnrollAsync(
        ChatUser user, JsonElement? credential, string? state, string? name, HttpContext http, CancellationToken cancellationToken)
    {
        var label = Name(name) ?? "Passkey";
        var json = CredentialJson(credential);
        var ceremony = await ClaimAsync(state, PasskeyCeremony.Create, cancellationToken);
        if (ceremony.UserId != user.Id)
        {
            throw Invalid();
        }

        var result = await handler.PerformAttestationAsync(new PasskeyAttestationContext
        {
            HttpContext = http,
            CredentialJson = json,
            AttestationState = ceremony.State,
        });
        if (!result.Succeeded || result.UserEntity?.Id != user.Id)
        {
            throw Refusal(result.Failure, http);
        }

        result.Passkey.Name = label;

        // Through the store, not UserManager: the person stays signed in on the page they enrol from.
        await Passkeys.AddOrUpdatePasskeyAsync(user, result.Passkey, cancellationToken);
        LogEnrolled(logger, user.Id);
        return new NewPasskey(Id(result.Passkey.CredentialId), label, result.Passkey.CreatedAt);
    }

    public async Task<IReadOnlyList<AccountPasskey>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var rows = await db.UserPasskeys.AsNoTracking()
            .Where(p => p.UserId == userId)
            .Select(p => new { Passkey = p, LastUsed = EF.Property<DateTime?>(p, AccountsDb.PasskeyLastUsedColumn) })
            .ToListAsync(cancellationToken);
        return rows
            .Select(r => new AccountPasskey(Id(r.Passkey.CredentialId), r.Passkey.Data.Name ?? "Passkey", r.Passkey.Data.CreatedAt,
                r.LastUsed is { } used ? new DateTimeOffset(DateTime.SpecifyKind(used, DateTimeKind.Utc)) : null))
            .OrderBy(p => p.CreatedAt)
            .ToList();
    }

    public async Task RenameAsync(ChatUser user, string id, string? name, CancellationToken cancellationToken)
    {
        var label = Name(name) ?? throw new ChatException(ErrorCodes.InvalidName, $"a passkey's name is 1-{MaxNameLength} characters");
        var passkey = await Passkeys.FindPasskeyAsync(user, CredentialId(id), cancellationToken) ?? throw NoSuchPasskey();
        passkey.Name = label;
        await Passkeys.AddOrUpdatePasskeyAsync(user, passkey, cancellationToken);
    }

    /// <summary>Removes the passkey; returns its name (for the audit log).</summary>
    public async Task<string> DeleteAsync(ChatUser user, string id, CancellationToken cancellationToken)
    {
        var credentialId = CredentialId(id);
        var passkey = await Passkeys.FindPasskeyAsync(user, credentialId, cancellationToken) ?? throw NoSuchPasskey();
        if (await db.UserPasskeys.Where(p => p.UserId == user.Id && p.CredentialId == credentialId).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            throw NoSuchPasskey();
        }

        LogDeleted(logger, user.Id);
        return passkey.Name ?? "Passkey";
    }

    /// <summary>
    /// Options for signing in with a passkey. They never list an account's credentials (the browser offers the passkeys
    /// it holds for this site), so they look the same whether or not <paramref name="userName"/> names an account; when
    /// it is given, only that account's passkey is accepted.
    /// </summary>
    public async Task<PasskeyCeremonyOptions> RequestOptionsAsync(string? userName, HttpContext http, CancellationToken cancellationToken)
    {
        string? userId = null;
        if (!string.IsNullOrWhiteSpace(userName))
        {
            var name = userName.Trim();
            userId = name.Length <= AccountRules.MaxEmailLength && await users.FindByNameAsync(name) is { } named ? named.Id : NoAccount;
        }

        var made = await handler.MakeRequestOptionsAsync(null, http);
        return await BeginAsync(PasskeyCeremony.Get, userId, made.RequestOptionsJson, made.AssertionState, cancellationToken);
    }

    /// <summary>
    /// Signs in with the browser's assertion. With user verification required, a passkey is two factors in one step, so
    /// staff get their staff role; the account's lockout, ban, disabling and address rules are the password sign-in's.
    /// </summary>
    public async Task<AccountTokens> SignInAsync(
        JsonElement? credential, string? state, ClientInfo client, HttpContext http, CancellationToken cancellationToken)
    {
        var json = CredentialJson(credential);
        var ceremony = await ClaimAsync(state, PasskeyCeremony.Get, cancellationToken);
        var result = await handler.PerformAssertionAsync(new PasskeyAssertionContext
        {
            HttpContext = http,
            CredentialJson = json,
            AssertionState = ceremony.State,
        });
        if (!result.Succeeded)
        {
            throw Refusal(result.Failure, http);
        }

        var user = result.User;
        if (ceremony.UserId is { } named && named != user.Id)
        {
            throw Invalid();
        }

        // The counter is saved before the account's rules are checked: this assertion must not work a second time either way.
        await Passkeys.AddOrUpdatePasskeyAsync(user, result.Passkey, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var credentialId = result.Passkey.CredentialId;
        await db.UserPasskeys.Where(p => p.CredentialId == credentialId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => EF.Property<DateTime?>(p, AccountsDb.PasskeyLastUsedColumn), now), cancellationToken);

        await checks.EnsureNotLockedOutAsync(user);
        checks.EnsureMaySignIn(user);
        await users.ResetAccessFailedCountAsync(user);
        LogSignedIn(logger, user.Id);
        return await sessions.StartAsync(user, client, secondFactor: true, cancellationToken);
    }

    /// <summary>Whether a ceremony's web origin is one this server serves (Identity's <c>ValidateOrigin</c> hook).</summary>
    internal static bool IsAllowedOrigin(PasskeyOptions settings, PasskeyOriginValidationContext context)
    {
        var allowed = !context.CrossOrigin && Uri.TryCreate(context.Origin, UriKind.Absolute, out var origin) && (settings.AllowedOrigins.Length > 0
            ? settings.AllowedOrigins.Any(o => SameOrigin(origin, new Uri(o)))
            : SameOrigin(origin, new Uri($"{context.HttpContext.Request.Scheme}://{context.HttpContext.Request.Host}")));
        if (!allowed)
        {
            context.HttpContext.Items[OriginRefusedItem] = true;
        }

        return allowed;
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port
        && a.AbsolutePath == "/";

    private async Task<PasskeyCeremonyOptions> BeginAsync(string kind, string? userId, string optionsJson, string? state, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var forgotten = now - KeepExpired;
        await db.PasskeyCeremonies.Where(c => c.ExpiresAtUtc < forgotten).ExecuteDeleteAsync(cancellationToken);

        var key = DatabaseTokenProvider.Base64Url(RandomNumberGenerator.GetBytes(32));
        db.PasskeyCeremonies.Add(new PasskeyCeremony
        {
            Id = DatabaseTokenProvider.Hash(key),
            Kind = kind,
            UserId = userId,
            State = state ?? string.Empty,
            CreatedAtUtc = now,
            ExpiresAtUtc = now + options.Value.CeremonyLifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
        using var document = JsonDocument.Parse(optionsJson);
        return new PasskeyCeremonyOptions(document.RootElement.Clone(), key);
    }

    /// <summary>Claims the ceremony <paramref name="state"/> names: of two answers to one ceremony exactly one gets it.</summary>
    private async Task<PasskeyCeremony> ClaimAsync(string? state, string kind, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(state) || state.Length > 64)
        {
            throw Invalid();
        }

        var id = DatabaseTokenProvider.Hash(state);
        var ceremony = await db.PasskeyCeremonies.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (ceremony is null || ceremony.Kind != kind)
        {
            throw Invalid();
        }

        if (ceremony.ConsumedAtUtc is not null)
        {
            throw Replayed();
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (ceremony.ExpiresAtUtc <= now)
        {
            throw new ChatException(ErrorCodes.PasskeyExpired, "the passkey request expired; start again");
        }

        var claimed = await db.PasskeyCeremonies.Where(c => c.Id == id && c.ConsumedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ConsumedAtUtc, now), cancellationToken) == 1;
        return claimed ? ceremony : throw Replayed();
    }

    private string CredentialJson(JsonElement? credential)
    {
        if (credential is not { ValueKind: JsonValueKind.Object } value)
        {
            throw Invalid();
        }

        var json = value.GetRawText();
        return json.Length <= options.Value.MaxCredentialJsonLength
            ? json
            : throw new ChatException(ErrorCodes.PayloadTooLarge, $"a passkey credential is at most {options.Value.MaxCredentialJsonLength} characters of JSON");
    }

    private ChatException Refusal(PasskeyException? failure, HttpContext http)
    {
        if (http.Items.ContainsKey(OriginRefusedItem))
        {
            return new ChatException(ErrorCodes.PasskeyOrigin, "this passkey answer comes from a web address this server does not serve");
        }

        // Identity's handler refuses a counter that did not move forward; its message is the only way to tell.
        if (failure?.Message.Contains("signature counter", StringComparison.Ordinal) == true)
        {
            return Replayed();
        }

        LogRefused(logger, failure?.Message ?? "the credential belongs to another account");
        return Invalid();
    }

    private static string? Name(string? value)
    {
        var name = value?.Normalize(System.Text.NormalizationForm.FormKC).Trim();
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        return name.Length <= MaxNameLength && !name.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            ? name
            : throw new ChatException(ErrorCodes.InvalidName, $"a passkey's name is 1-{MaxNameLength} characters without control characters");
    }

    private static string Id(byte[] credentialId) => DatabaseTokenProvider.Base64Url(credentialId);

    private static byte[] CredentialId(string id)
    {
        if (id.Length is 0 or > 1400)
        {
            throw NoSuchPasskey();
        }

        try
        {
            return System.Buffers.Text.Base64Url.DecodeFromChars(id);
        }
        catch (FormatException)
        {
            throw NoSuchPasskey();
        }
    }

    private static ChatException NoSuchPasskey() => new(ErrorCodes.NotFound, "no such passkey on this account");

    private static ChatException Invalid() => new(ErrorCodes.PasskeyInvalid, "that passkey did not check out; try again or sign in another way");

    private static ChatException Replayed() => new(ErrorCodes.PasskeyReplayed, "this passkey answer was used already; start again");

    [LoggerMessage(EventId = 4160, Level = LogLevel.Information, Message = "Account {UserId} enrolled a passkey")]
    private static partial void LogEnrolled(ILogger logger, string userId);

    [LoggerMessage(EventId = 4161, Level = LogLevel.Information, Message = "Account {UserId} removed a passkey")]
    private static partial void LogDeleted(ILogger logger, string userId);

    [LoggerMessage(EventId = 4162, Level = LogLevel.Information, Message = "Account {UserId} signed in with a passkey")]
    private static partial void LogSignedIn(ILogger logger, string userId);

    [LoggerMessage(EventId = 4163, Level = LogLevel.Information, Message = "A passkey answer was refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}
