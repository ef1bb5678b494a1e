namespace Chatroom.Core.Moderation;

/// <summary>
/// The server's written rules and how a room's own rules join them. One place, because the API shows them to people and
/// the analysis service gives them to the policy model: both must read the same text.
/// </summary>
public static class WrittenRules
{
    /// <summary>The configuration key of the server's rules (the policy model's section, where they were first set).</summary>
    public const string ConfigurationKey = "Chatroom:Moderation:Policy:Rules";

    /// <summary>The heading a room's own rules go under, after the server's.</summary>
    public const string RoomHeading = "# This room's rules";

    public const string Default = """
        # Chat room rules
        Not allowed: insults or abuse aimed at a person (harassment); attacks on people for their race, religion, gender,
        sexuality, disability or origin, and slurs (hate); sexually explicit content or solicitation (sexual); urging
        anyone to hurt themselves, or describing intent to (self-harm); threats of violence (violence); asking a child's
        age, asking for secrecy, meeting or sexual talk with minors (minors); ads, scams and floods (spam).
        Allowed: swearing for emphasis, dark humour, games and role-play that target no real person, news, quoting
        something in order to criticise it, clinical or educational talk.
        """;

    /// <summary>The server's rules, then the room's own under <see cref="RoomHeading"/> when it has any.</summary>
    public static string Compose(string serverRules, string? roomRules) =>
        string.IsNullOrWhiteSpace(roomRules)
            ? serverRules.Trim()
            : $"{serverRules.Trim()}\n\n{RoomHeading}\n{roomRules.Trim()}";
}
