namespace Chatroom.Core.Auth;

/// <summary>
/// Turns a bot's long-lived token (<c>cbt_…</c>) into the access token it would get from <c>POST /api/auth/bot</c>, so a
/// bot may send its own token straight to REST and MCP; null for a wrong, rotated or deleted token. Implemented where
/// bots are stored; token validation asks it when a request carries one.
/// </summary>
public interface IBotTokenExchange
{
    /// <summary>What a bot token starts with; any other bearer token is a JWT.</summary>
    const string Prefix = "cbt_";

    Task<string?> AccessTokenAsync(string botToken, CancellationToken cancellationToken);
}
