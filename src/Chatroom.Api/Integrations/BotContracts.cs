namespace Chatroom.Api.Integrations;

/// <summary><c>POST /api/admin/bots</c>: a bot's name, scopes (read, post, events) and the rooms it may use.</summary>
public sealed record CreateBotRequest(string? Name, IReadOnlyList<string>? Scopes, IReadOnlyList<string>? Rooms);

/// <summary><c>POST /api/auth/bot</c>: the bot's token, exchanged for an access token.</summary>
public sealed record BotSignIn(string? Token);
