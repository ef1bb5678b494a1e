using System.Security.Cryptography;
using System.Text;
using Chatroom.Accounts.Data;
using Chatroom.Core.Auth;
using Chatroom.Core.Errors;
using Chatroom.Core.Rooms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Chatroom.Accounts.Bots;

/// <summary>An incoming webhook as admins see it: never its secret.</summary>
public sealed record IncomingWebhookInfo(string Id, string Name, string Room, DateTimeOffset CreatedAt);

/// <summary>A new incoming webhook with its URL path, the one time the secret in it is shown.</summary>
public sealed record IssuedIncomingWebhook(IncomingWebhookInfo Webhook, string Path);

/// <summary>
/// Incoming webhooks: made and deleted by admins, and the identity a request to <c>/hooks/{id}/{secret}</c> posts as
/// (role <c>webhook</c>, allowed to post in its one room only).
/// </summary>
public sealed partial class IncomingWebhookService(AccountsDb db, TimeProvider time, ILogger<IncomingWebhookService> logger)
{
    public async Task<IssuedIncomingWebhook> CreateAsync(string? name, string? room, string createdBy, CancellationToken cancellationToken)
    {
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var hook = new IncomingWebhook
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Name = BotService.ValidateName(name),
            Room = RoomNames.Validate(room),
            SecretHash = Hash(secret),
            CreatedBy = createdBy,
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        db.IncomingWebhooks.Add(hook);
        await db.SaveChangesAsync(cancellationToken);
        LogCreated(logger, hook.Id, hook.Room, createdBy);
        return new IssuedIncomingWebhook(Info(hook), $"/hooks/{hook.Id}/{secret}");
    }

    public async Task<IReadOnlyList<IncomingWebhookInfo>> ListAsync(CancellationToken cancellationToken) =>
        (await db.IncomingWebhooks.AsNoTracking().OrderBy(h => h.CreatedAtUtc).ToListAsync(cancellationToken)).Select(Info).ToList();

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (await db.IncomingWebhooks.Where(h => h.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            throw new ChatException(ErrorCodes.NotFound, $"no incoming webhook '{id}'");
        }
    }

    /// <summary>
    /// Who posts through <c>/hooks/{id}/{secret}</c>: the secret is compared in constant time against the stored hash, and
    /// a wrong id or secret gets the same refusal.
    /// </summary>
    public async Task<ChatIdentity> IdentifyAsync(string id, string secret, CancellationToken cancellationToken)
    {
        var hook = id.Length <= 32 ? await db.IncomingWebhooks.AsNoTracking().FirstOrDefaultAsync(h => h.Id == id, cancellationToken) : null;
        var expected = Encoding.ASCII.GetBytes(hook?.SecretHash ?? new string('0', 64));
        var given = Encoding.ASCII.GetBytes(Hash(secret));
        if (!CryptographicOperations.FixedTimeEquals(expected, given) || hook is null)
        {
            throw new ChatException(ErrorCodes.NotFound, "no such webhook");
        }

        var grant = new BotGrant(new HashSet<string>([BotGrant.Post], StringComparer.Ordinal), new HashSet<string>([hook.Room], StringComparer.Ordinal));
        return new ChatIdentity(hook.UserId, hook.Name, ChatRoles.Webhook, DateTimeOffset.MaxValue, grant);
    }

    private static IncomingWebhookInfo Info(IncomingWebhook hook) =>
        new(hook.Id, hook.Name, hook.Room, new DateTimeOffset(DateTime.SpecifyKind(hook.CreatedAtUtc, DateTimeKind.Utc)));

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    [LoggerMessage(EventId = 2603, Level = LogLevel.Information, Message = "Incoming webhook {HookId} for {Room} created by {CreatedBy}")]
    private static partial void LogCreated(ILogger logger, string hookId, string room, string createdBy);
}
