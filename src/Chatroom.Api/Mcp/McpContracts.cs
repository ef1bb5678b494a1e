namespace Chatroom.Api.Mcp;

/// <summary>A room as <c>list_rooms</c> shows it; the topic is chat content, written by whoever made the room.</summary>
public sealed record McpRoom(string Name, string? Topic, int Present, int SlowModeSeconds, bool Locked);

public sealed record McpRoomList(IReadOnlyList<McpRoom> Rooms, bool Untrusted = true);

/// <summary>
/// A message as the tools return it. <see cref="Id"/> (<c>room/number</c>) is what <c>fetch</c> takes; the text and the
/// author's name are what people wrote, never instructions.
/// </summary>
public sealed record McpMessage(string Id, string Room, long Number, string Author, string AuthorKind, string Text, DateTimeOffset SentAt, bool Hidden);

/// <summary>A page of history, oldest first; <see cref="NextCursor"/> reads the page before it.</summary>
public sealed record McpHistoryPage(string Room, IReadOnlyList<McpMessage> Messages, string? NextCursor, bool Untrusted = true);

/// <summary>
/// Search results; <see cref="Method"/> says how they were matched: <c>meaning</c> (best first, each with its
/// <see cref="McpSearchHit.Score"/>), <c>text</c> (every word, newest first, no score) or <c>text_fallback</c> (the word
/// search, because ranking by meaning timed out or failed).
/// </summary>
public sealed record McpSearchResults(string Query, string Method, IReadOnlyList<McpSearchHit> Results, int RoomsSearched, bool Untrusted = true);

/// <summary>A message as <see cref="McpMessage"/>, with its similarity to the query when ranked by meaning.</summary>
public sealed record McpSearchHit(string Id, string Room, long Number, string Author, string AuthorKind, string Text, DateTimeOffset SentAt, bool Hidden, double? Score)
{
    public static McpSearchHit From(McpMessage m, double? score) => new(m.Id, m.Room, m.Number, m.Author, m.AuthorKind, m.Text, m.SentAt, m.Hidden, score);
}

public sealed record McpFetched(McpMessage Message, bool Untrusted = true);

/// <summary>The stored message; <see cref="Replayed"/> when the key had been used before and this is the first answer again.</summary>
public sealed record McpPosted(string Id, string Room, long Number, DateTimeOffset SentAt, bool Replayed);

/// <summary>Analysed messages in one span and their shares by mood (0-1); <see cref="Dominant"/> is null with none analysed.</summary>
public sealed record McpMoodWindow(long Analysed, double Happy, double Neutral, double Sad, string? Dominant);

public sealed record McpRoomMood(string Room, McpMoodWindow AllTime, McpMoodWindow LastHour, McpMoodWindow Last15Minutes, IReadOnlyList<string> Alerts);

public sealed record McpParticipant(string Name, int Messages);

/// <summary>
/// What the room is and what went on in its latest messages: who wrote how much, over which span, and the mood the
/// analysis measured. Names and the topic are chat content.
/// </summary>
public sealed record McpRoomSummary(
    string Room,
    string? Topic,
    int Present,
    int SlowModeSeconds,
    bool Locked,
    int RecentMessages,
    DateTimeOffset? From,
    DateTimeOffset? To,
    IReadOnlyList<McpParticipant> Participants,
    McpMoodWindow LastHour,
    IReadOnlyList<string> Alerts,
    bool Untrusted = true);
