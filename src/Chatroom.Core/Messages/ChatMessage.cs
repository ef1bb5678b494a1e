using System.Text.Json.Serialization;

namespace Chatroom.Core.Messages;

/// <summary>
/// Who wrote a message: a person, the system (broadcasts, notices), an agent, or a program: a bot account, an incoming
/// webhook or a bridged chat. Stored as its number, so new kinds go at the end.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<MessageKind>))]
public enum MessageKind
{
    [JsonStringEnumMemberName("user")] User,
    [JsonStringEnumMemberName("system")] System,
    [JsonStringEnumMemberName("agent")] Agent,
    [JsonStringEnumMemberName("bot")] Bot,
    [JsonStringEnumMemberName("webhook")] Webhook,
    [JsonStringEnumMemberName("bridge")] Bridge,
}

/// <summary>A stored message. <see cref="Id"/> is monotonic within its room.</summary>
public sealed record ChatMessage(
    string Room,
    long Id,
    string AuthorId,
    string AuthorName,
    MessageKind Kind,
    string Text,
    DateTimeOffset SentAt,
    string? ClientMessageId,
    bool Hidden = false)
{
    /// <summary>What a viewer may see: hidden text stays with admins.</summary>
    public ChatMessage VisibleTo(bool isAdmin) => Hidden && !isAdmin ? this with { Text = string.Empty } : this;
}

/// <summary>A message to append; the log assigns its id and time.</summary>
public sealed record NewMessage(
    string Room,
    string AuthorId,
    string AuthorName,
    MessageKind Kind,
    string Text,
    string? ClientMessageId);

/// <summary>The stored message; <see cref="Duplicate"/> when the client id had been stored before.</summary>
public readonly record struct AppendResult(ChatMessage Message, bool Duplicate);

/// <summary>A page request: ids strictly before and/or after, at most <see cref="Limit"/>.</summary>
public readonly record struct MessageQuery(long? Before, long? After, int Limit);
