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

/// <summary>
/// A stored message. <see cref="Id"/> is monotonic within its room. <see cref="Hop"/> counts how many automated answers
/// stand between it and a person (0 for people; a program answering an event of hop h posts at h + 1), so chains of
/// programs answering each other stop at <c>Chatroom:Integrations:MaxHops</c>; it is left out of JSON when 0.
/// </summary>
public sealed record ChatMessage(
    string Room,
    long Id,
    string AuthorId,
    string AuthorName,
    MessageKind Kind,
    string Text,
    DateTimeOffset SentAt,
    string? ClientMessageId,
    bool Hidden = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Hop = 0)
{
    /// <summary>What a viewer may see: hidden text stays with admins.</summary>
    public ChatMessage VisibleTo(bool isAdmin) => Hidden && !isAdmin ? this with { Text = string.Empty } : this;
}

/// <summary>A message to append; the log assigns its id and time. <see cref="Hop"/> as on <see cref="ChatMessage"/>.</summary>
public sealed record NewMessage(
    string Room,
    string AuthorId,
    string AuthorName,
    MessageKind Kind,
    string Text,
    string? ClientMessageId,
    int Hop = 0);

/// <summary>The stored message; <see cref="Duplicate"/> when the client id had been stored before.</summary>
public readonly record struct AppendResult(ChatMessage Message, bool Duplicate);

/// <summary>A page request: ids strictly before and/or after, at most <see cref="Limit"/>.</summary>
public readonly record struct MessageQuery(long? Before, long? After, int Limit);
