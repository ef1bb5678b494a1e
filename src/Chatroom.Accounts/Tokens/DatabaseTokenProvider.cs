using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Chatroom.Accounts.Tokens;

/// <summary>
/// Email confirmation, password reset and second-factor tickets as random tokens whose SHA-256, expiry and the account's
/// security stamp sit in Identity's user tokens table. Unlike Identity's Data Protection tokens they work on every
/// replica without sharing a key ring, one per purpose is alive at a time, and a changed stamp voids them.
/// </summary>
public sealed class DatabaseTokenProvider(IOptions<AccountsOptions> options, TimeProvider time) : IUserTwoFactorTokenProvider<ChatUser>
{
    public const string Name = "Database";
    public const string LoginProvider = "Chatroom";

    /// <summary>The purpose of the ticket between a right password and the second factor.</summary>
    public const string TwoFactorTicketPurpose = "TwoFactorTicket";

    public async Task<string> GenerateAsync(string purpose, UserManager<ChatUser> manager, ChatUser user)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var lifetime = purpose == TwoFactorTicketPurpose ? options.Value.TwoFactorTicketLifetime : options.Value.LinkLifetime;
        var expires = time.GetUtcNow() + lifetime;
        var stamp = await manager.GetSecurityStampAsync(user);
        var value = string.Join('|', Hash(token), expires.UtcTicks.ToString(CultureInfo.InvariantCulture), stamp);
        Check(await manager.SetAuthenticationTokenAsync(user, LoginProvider, purpose, value));
        return token;
    }

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<ChatUser> manager, ChatUser user)
    {
        var stored = await manager.GetAuthenticationTokenAsync(user, LoginProvider, purpose);
        var parts = stored?.Split('|');
        if (parts is not { Length: 3 } || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            return false;
        }

        var matches = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[0]), Encoding.ASCII.GetBytes(Hash(token)));
        return matches && time.GetUtcNow().UtcTicks < ticks && parts[2] == await manager.GetSecurityStampAsync(user);
    }

    /// <summary>Spends a token after its use succeeded.</summary>
    public static async Task SpendAsync(UserManager<ChatUser> manager, ChatUser user, string purpose) =>
        Check(await manager.RemoveAuthenticationTokenAsync(user, LoginProvider, purpose));

    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<ChatUser> manager, ChatUser user) => Task.FromResult(false);

    internal static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Storing an account token failed: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }
    }
}
