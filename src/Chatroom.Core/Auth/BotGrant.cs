using System.Security.Claims;
using Chatroom.Core.Errors;

namespace Chatroom.Core.Auth;

/// <summary>
/// What a bot's token allows: its scopes (<see cref="Read"/>, <see cref="Post"/>, <see cref="Events"/>) and the rooms
/// it may use. The token carries both, so every service checks them without a store round trip.
/// </summary>
public sealed record BotGrant(IReadOnlySet<string> Scopes, IReadOnlySet<string> Rooms)
{
    public const string Read = "read";
    public const string Post = "post";
    public const string Events = "events";

    /// <summary>Every scope a bot can be given.</summary>
    public static readonly IReadOnlyList<string> AllScopes = [Read, Post, Events];

    /// <summary>The token claim listing the bot's rooms, space-separated (room names hold no spaces).</summary>
    public const string RoomsClaim = "rooms";

    /// <summary>The standard <c>scope</c> claim, its values prefixed so they read like the scopes REST and MCP check (<c>chat:post</c>).</summary>
    public const string ScopeClaim = "scope";

    public const string ScopePrefix = "chat:";

    /// <summary>The grant in a bot token's claims; null for any other token.</summary>
    public static BotGrant? FromClaims(ClaimsIdentity identity)
    {
        if (identity.FindFirst(ChatClaims.Role)?.Value != ChatRoles.Bot)
        {
            return null;
        }

        var scopes = Split(identity.FindAll(ScopeClaim))
            .Where(s => s.StartsWith(ScopePrefix, StringComparison.Ordinal)).Select(s => s[ScopePrefix.Length..]);
        return new BotGrant(scopes.ToHashSet(StringComparer.Ordinal), Split(identity.FindAll(RoomsClaim)).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>The claims a bot token carries for this grant.</summary>
    public IReadOnlyDictionary<string, object> ToClaims() => new Dictionary<string, object>
    {
        [ScopeClaim] = string.Join(' ', Scopes.Order(StringComparer.Ordinal).Select(s => ScopePrefix + s)),
        [RoomsClaim] = string.Join(' ', Rooms.Order(StringComparer.Ordinal)),
    };

    /// <summary>Refuses a post without the post scope or outside the bot's rooms, with stable codes.</summary>
    public void EnsureMayPost(string room)
    {
        if (!Scopes.Contains(Post))
        {
            throw new ChatException(ErrorCodes.BotScopeMissing, "this bot may not post: it lacks the 'post' scope");
        }

        EnsureMayUse(room);
    }

    /// <summary>Whether the bot may read <paramref name="room"/>: the read scope and the room in its list.</summary>
    public bool MayRead(string room) => Scopes.Contains(Read) && Rooms.Contains(room);

    /// <summary>Refuses reading without the read scope or outside the bot's rooms, with stable codes.</summary>
    public void EnsureMayRead(string room)
    {
        if (!Scopes.Contains(Read))
        {
            throw new ChatException(ErrorCodes.BotScopeMissing, "this bot may not read: it lacks the 'read' scope");
        }

        EnsureMayUse(room);
    }

    /// <summary>Refuses a room outside the bot's allow-list.</summary>
    public void EnsureMayUse(string room)
    {
        if (!Rooms.Contains(room))
        {
            throw new ChatException(ErrorCodes.BotRoomNotAllowed, $"this bot may not use '{room}': it is not in the bot's rooms");
        }
    }

    private static IEnumerable<string> Split(IEnumerable<Claim> claims) =>
        claims.SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
