namespace Chatroom.Api.Auth;

public sealed record GuestSignIn(string? Name);

public sealed record AdminSignIn(string? Password);

public sealed record UserInfo(string Id, string Name, string Role);

/// <summary>A bearer token for <c>Authorization: Bearer</c> (or <c>access_token</c> on the hub).</summary>
public sealed record TokenResponse(string Token, UserInfo User, DateTimeOffset ExpiresAt);
