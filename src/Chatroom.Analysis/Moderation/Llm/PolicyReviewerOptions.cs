using System.ComponentModel.DataAnnotations;

namespace Chatroom.Analysis.Moderation.Llm;

/// <summary>
/// The optional policy-following reasoning model (configuration section <c>Chatroom:Moderation:Policy</c>) that reviews a
/// message the cascade found unsafe against written rules before any automatic action. It runs when
/// <c>ConnectionStrings:policy-model</c> is set, or when <see cref="Model"/> is set and the analysis model's server serves it.
/// </summary>
public sealed class PolicyReviewerOptions
{
    public const string SectionName = "Policy";

    public bool Enabled { get; set; } = true;

    /// <summary>The model name (<c>gpt-oss-safeguard:20b</c>); overrides the connection string's.</summary>
    public string? Model { get; set; }

    /// <summary>
    /// The server's written rules, which the model applies. Rooms have no rules text of their own yet, so one text serves
    /// every room.
    /// </summary>
    [Required]
    [MinLength(20)]
    public string Rules { get; set; } = """
        # Chat room rules
        Not allowed: insults or abuse aimed at a person (harassment); attacks on people for their race, religion, gender,
        sexuality, disability or origin, and slurs (hate); sexually explicit content or solicitation (sexual); urging
        anyone to hurt themselves, or describing intent to (self-harm); threats of violence (violence); asking a child's
        age, asking for secrecy, meeting or sexual talk with minors (minors); ads, scams and floods (spam).
        Allowed: swearing for emphasis, dark humour, games and role-play that target no real person, news, quoting
        something in order to criticise it, clinical or educational talk.
        """;

    /// <summary>Room for the model's reasoning and its answer: gpt-oss models think before they answer.</summary>
    [Range(64, 16384)]
    public int MaxOutputTokens { get; set; } = 2048;
}
