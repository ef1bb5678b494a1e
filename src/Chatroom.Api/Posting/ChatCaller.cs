using System.Security.Claims;
using Chatroom.Core.Auth;
using Chatroom.Core.Errors;
using Chatroom.ServiceDefaults.Auth;

namespace Chatroom.Api.Posting;

/// <summary>Who a program calling REST or MCP is, and whether its token lets it post.</summary>
public static class ChatCaller
{
    /// <summary>The scope a token that carries scopes (an external issuer's) needs for posting; the API's own tokens carry none.</summary>
    public const string PostScope = "chat:post";

    /// <summary>The caller, refused the way the hub refuses a connection: without a token, or as a guest when guests are off.</summary>
    public static ChatIdentity Identify(ClaimsPrincipal? user, AuthOptions auth)
    {
        var identity = user.ToChatIdentity() ?? throw new ChatException(ErrorCodes.Unauthorized, "a valid bearer token is required; sign in first");
        if (identity.Role == ChatRoles.Guest && auth.Guests == AuthOptions.GuestsOff)
        {
            throw new ChatException(ErrorCodes.GuestsDisabled, "guests cannot chat here; sign in with an account");
        }

        return identity;
    }

    /// <summary>
    /// Refuses a token whose scopes (<c>scope</c> or <c>scp</c>, space-separated) leave out <see cref="PostScope"/>: an
    /// integration given a read-only token reads and never writes. A token without scopes is the person's own.
    /// </summary>
    public static void EnsureMayPost(ClaimsPrincipal user)
    {
        if (user.IsInRole(ChatRoles.Bot))
        {
            // A bot's scopes and rooms are the send admission's to check (BotGrant), with codes that say which.
            return;
        }

        var scopes = user.FindAll("scope").Concat(user.FindAll("scp")).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var scoped = user.HasClaim(c => c.Type is "scope" or "scp");
        if (scoped && !scopes.Contains(PostScope, StringComparer.Ordinal))
        {
            throw new ChatException(ErrorCodes.Forbidden, $"this token is read-only: posting needs the {PostScope} scope");
        }
    }
}
