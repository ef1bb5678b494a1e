using System.Security.Cryptography;
using System.Text;
using Chatroom.Accounts.Data;
using Chatroom.Accounts.Tokens;
using Chatroom.Core.Auth;
using Chatroom.Core.Errors;
using Chatroom.Core.Rooms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chatroom.Accounts.Bots;

/// <summary>A bot as admins see it: never its token.</summary>
public sealed record BotInfo(string Id, string UserId, string Name, IReadOnlyList<string> Scopes, IReadOnlyList<string> Rooms, DateTimeOffset CreatedAt, DateTimeOffset RotatedAt);

/// <summary>A bot with its token, the one time the token is shown.</summary>
public sealed record IssuedBot(BotInfo Bot, string Token);

/// <summary>A bot's access token (a JWT every service validates) from its long-lived bot token.</summary>
public sealed record BotAccess(string Token, DateTimeOffset ExpiresAt, BotInfo Bot);

/// <summary>
/// Bot accounts: created, rotated and deleted by admins, and a bot's token exchanged for a short-lived access token with
/// role <c>bot</c>, its scopes and rooms as claims. Rotating or deleting closes the bot's sockets on every node and voids
/// its access tokens at once (their stamp no longer matches; AccountTokenValidation checks it on each request).
/// </summary>
public sealed partial class BotService(AccountsDb db, ChatTokens tokens, AccountSockets sockets, IOptions<AccountsOptions> options,
    TimeProvider time, ILogger<BotService> logger) : IBotTokenExchange
{
    /// <summary>What a bot token starts with, so a leaked one is recognisable (secret scanners look for such prefixes).</summary>
    public const string TokenPrefix = IBotTokenExchange.Prefix;

    public const int MaxNameLength = 32;
    public const int MaxRooms = 100;

    public async Task<IssuedBot> CreateAsync(string? name, IReadOnlyList<string>? scopes, IReadOnlyList<string>? rooms, string createdBy, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var token = NewToken();
        var bot = new BotAccount
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Name = ValidateName(name),
            Scopes = string.Join(' ', ValidateScopes(scopes)),
            Rooms = string.Join(' ', ValidateRooms(rooms)),
            TokenHash = Hash(token),
            Stamp = NewStamp(),
            CreatedBy = createdBy,
            CreatedAtUtc = now,
            RotatedAtUtc = now,
        };
        db.Bots.Add(bot);
        await db.SaveChangesAsync(cancellationToken);
        LogCreated(logger, bot.Id, bot.Name, createdBy);
        return new IssuedBot(Info(bot), token);
    }

    public async Task<IReadOnlyList<BotInfo>> ListAsync(CancellationToken cancellationToken) =>
        (await db.Bots.AsNoTracking().OrderBy(b => b.CreatedAtUtc).ToListAsync(cancellationToken)).Select(Info).ToList();

    /// <summary>A new token; the old one, and every access token issued for it, stop working now.</summary>
    public async Task<IssuedBot> RotateAsync(string id, CancellationToken cancellationToken)
    {
        var bot = await FindAsync(id, cancellationToken);
        var oldStamp = bot.Stamp;
        var token = NewToken();
        bot.TokenHash = Hash(token);
        bot.Stamp = NewStamp();
        bot.RotatedAtUtc = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        await sockets.CloseAsync(bot.UserId, ErrorCodes.BotRevoked, "the bot's token was rotated; exchange the new one", oldStamp, cancellationToken);
        LogRotated(logger, bot.Id);
        return new IssuedBot(Info(bot), token);
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var bot = await FindAsync(id, cancellationToken);
        db.Bots.Remove(bot);
        await db.SaveChangesAsync(cancellationToken);
        await sockets.CloseAsync(bot.UserId, ErrorCodes.BotRevoked, "the bot was deleted", bot.Stamp, cancellationToken);
        LogDeleted(logger, bot.Id);
    }

    /// <summary>An access token for the bot holding <paramref name="botToken"/>; refused alike for a wrong, rotated or deleted token.</summary>
    public async Task<BotAccess> ExchangeAsync(string? botToken, CancellationToken cancellationToken)
    {
        var bot = await FindByTokenAsync(botToken, cancellationToken)
            ?? throw new ChatException(ErrorCodes.InvalidBotToken, "the bot token is wrong, rotated or deleted");
        var info = Info(bot);
        var expires = time.GetUtcNow() + options.Value.AccessTokenLifetime;
        var identity = new ChatIdentity(bot.UserId, bot.Name, ChatRoles.Bot, expires);
        var grant = new BotGrant(info.Scopes.ToHashSet(StringComparer.Ordinal), info.Rooms.ToHashSet(StringComparer.Ordinal));
        var claims = new Dictionary<string, object>(grant.ToClaims()) { [ChatClaims.SecurityStamp] = bot.Stamp };
        return new BotAccess(tokens.Issue(identity, claims, time.GetUtcNow()), expires, info);
    }

    /// <summary>The access token <see cref="ExchangeAsync"/> would give, or null where it would refuse: a bot token sent straight to REST or MCP.</summary>
    public async Task<string?> AccessTokenAsync(string botToken, CancellationToken cancellationToken) =>
        await FindByTokenAsync(botToken, cancellationToken) is null ? null : (await ExchangeAsync(botToken, cancellationToken)).Token;

    /// <summary>The bot holding <paramref name="botToken"/>, looked up by the token's hash (an index, so no timing leak of the secret); null when none.</summary>
    public async Task<BotAccount?> FindByTokenAsync(string? botToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(botToken) || !botToken.StartsWith(TokenPrefix, StringComparison.Ordinal) || botToken.Length > 128)
        {
            return null;
        }

        var hash = Hash(botToken);
        return await db.Bots.AsNoTracking().FirstOrDefaultAsync(b => b.TokenHash == hash, cancellationToken);
    }

    /// <summary>Whether an access token with <paramref name="stamp"/> still speaks for the bot <paramref name="userId"/>.</summary>
    public Task<bool> IsCurrentAsync(string userId, string stamp, CancellationToken cancellationToken)
    {
        var id = userId.StartsWith(BotAccount.UserIdPrefix, StringComparison.Ordinal) ? userId[BotAccount.UserIdPrefix.Length..] : string.Empty;
        return db.Bots.AsNoTracking().AnyAsync(b => b.Id == id && b.Stamp == stamp, cancellationToken);
    }

    private async Task<BotAccount> FindAsync(string id, CancellationToken cancellationToken) =>
        await db.Bots.FirstOrDefaultAsync(b => b.Id == id, cancellationToken)
        ?? throw new ChatException(ErrorCodes.NotFound, $"no bot '{id}'");

    private static BotInfo Info(BotAccount bot) => new(bot.Id, bot.UserId, bot.Name,
        bot.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), bot.Rooms.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        new DateTimeOffset(DateTime.SpecifyKind(bot.CreatedAtUtc, DateTimeKind.Utc)), new DateTimeOffset(DateTime.SpecifyKind(bot.RotatedAtUtc, DateTimeKind.Utc)));

    /// <summary>Bot and incoming webhook names: ASCII, so they cannot pass for a person's name with look-alike letters.</summary>
    internal static string ValidateName(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxNameLength || !trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ChatException(ErrorCodes.InvalidName, $"names are 1-{MaxNameLength} ASCII letters, digits, '-', '_' or '.'");
        }

        return trimmed;
    }

    private static IReadOnlyList<string> ValidateScopes(IReadOnlyList<string>? scopes)
    {
        if (scopes is null || scopes.Count == 0 || scopes.Any(s => !BotGrant.AllScopes.Contains(s)))
        {
            throw new ChatException(ErrorCodes.InvalidRequest, $"scopes are one or more of: {string.Join(", ", BotGrant.AllScopes)}");
        }

        return [.. scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static IReadOnlyList<string> ValidateRooms(IReadOnlyList<string>? rooms)
    {
        if (rooms is null || rooms.Count is 0 or > MaxRooms)
        {
            throw new ChatException(ErrorCodes.InvalidRequest, $"a bot needs 1-{MaxRooms} rooms");
        }

        return [.. rooms.Select(RoomNames.Validate).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static string NewToken() => TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [LoggerMessage(EventId = 2600, Level = LogLevel.Information, Message = "Bot {BotId} ({Name}) created by {CreatedBy}")]
    private static partial void LogCreated(ILogger logger, string botId, string name, string createdBy);

    [LoggerMessage(EventId = 2601, Level = LogLevel.Information, Message = "Bot {BotId} token rotated")]
    private static partial void LogRotated(ILogger logger, string botId);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Information, Message = "Bot {BotId} deleted")]
    private static partial void LogDeleted(ILogger logger, string botId);
}
