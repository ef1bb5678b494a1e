using System.Security.Claims;
using Chatroom.Core.Auth;
using Chatroom.ServiceDefaults.Auth;

namespace Chatroom.Api.Admin;

/// <summary>Who the audit log says acted: an account's unique user name (display names repeat), else the token's name.</summary>
public static class AuditActor
{
    public static string Of(ClaimsPrincipal user) =>
        user.FindFirst(ChatClaims.UserName)?.Value is { Length: > 0 } userName ? userName : user.ToChatIdentity()!.Name;
}
