namespace Chatroom.Web;

/// <summary>
/// The body of <c>GET /config.json</c>: what the browser app needs to find the API and hub, and whether guests may
/// sign in (<c>Chatroom:Auth:Guests</c>: <c>on</c>, <c>read-only</c>, <c>off</c>; left out where this host is not told,
/// and the guest route's answer decides).
/// </summary>
public sealed record ClientConfig(string ApiBase, string HubUrl, string? Guests = null);
