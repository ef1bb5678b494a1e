using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Chatroom.Core.Auth;

/// <summary>The JWT claims a Chatroom identity is made of (registered names, not mapped to WS-* URIs).</summary>
public static class ChatClaims
{
    public const string Subject = JwtRegisteredClaimNames.Sub;
    public const string Name = JwtRegisteredClaimNames.Name;
    public const string Role = "role";

    /// <summary>An account's security stamp when the token was issued; a changed stamp (sign-out everywhere, password reset) voids the token.</summary>
    public const string SecurityStamp = "sst";

    /// <summary>The sign-in session (refresh token family) an account's token belongs to; revoking the session voids the token.</summary>
    public const string SessionId = JwtRegisteredClaimNames.Sid;

    /// <summary>An account's unique user name (display names are not unique), so the audit log can name the account that acted.</summary>
    public const string UserName = JwtRegisteredClaimNames.PreferredUsername;

    /// <summary>
    /// On a minor's token while their guardian has not approved (the state: <c>pending</c>, <c>declined</c>): sending is
    /// refused from the token alone, so the chat path needs no store read per message. Approval takes effect at the next refresh.
    /// </summary>
    public const string GuardianConsent = "grd";

    /// <summary>
    /// Who a validated token speaks for. Tokens from an external OpenID Connect issuer may lack <c>name</c> (then
    /// <c>preferred_username</c>, else the subject) or <c>role</c> (then a guest).
    /// </summary>
    public static ChatIdentity? ToIdentity(ClaimsIdentity? identity, DateTime validTo)
    {
        var id = identity?.FindFirst(Subject)?.Value;
        if (identity is null || string.IsNullOrEmpty(id))
        {
            return null;
        }

        var name = identity.FindFirst(Name)?.Value ?? identity.FindFirst(JwtRegisteredClaimNames.PreferredUsername)?.Value ?? id;
        var role = identity.FindFirst(Role)?.Value ?? ChatRoles.Guest;
        var expires = validTo == DateTime.MinValue ? DateTimeOffset.MaxValue : new DateTimeOffset(DateTime.SpecifyKind(validTo, DateTimeKind.Utc));
        return new ChatIdentity(id, name, role, expires, BotGrant.FromClaims(identity))
        {
            AwaitingGuardian = identity.FindFirst(GuardianConsent) is { Value.Length: > 0 },
        };
    }
}
