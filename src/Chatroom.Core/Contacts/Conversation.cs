namespace Chatroom.Core.Contacts;

/// <summary>
/// One of a person's private conversations as their list shows it: the room, its kind (<c>private</c> or <c>direct</c>),
/// the person's role there (<c>pending</c> marks a request or invitation to answer), who the other person is in a direct
/// conversation, the latest message (its author, start and time) and how many messages they have not read.
/// </summary>
public sealed record Conversation(
    string Room,
    string Visibility,
    string? Topic,
    string Role,
    string? With,
    int Members,
    ConversationLastMessage? LastMessage,
    long Unread);

/// <summary>The latest message of a conversation, shortened to its preview.</summary>
public sealed record ConversationLastMessage(long Id, string AuthorId, string AuthorName, string Preview, DateTimeOffset SentAt);
