namespace Chatroom.Api.Auth;

public sealed record GuestSignIn(string? Name);

/// <summary>The admin console's sign-in; <see cref="UserName"/> defaults to the bootstrapped <c>admin</c> account.</summary>
public sealed record AdminSignIn(string? Password, string? UserName = null);

public sealed record UserInfo(string Id, string Name, string Role);

/// <summary>A bearer token for <c>Authorization: Bearer</c> (or <c>access_token</c> on the hub).</summary>
public sealed record TokenResponse(string Token, UserInfo User, DateTimeOffset ExpiresAt);
