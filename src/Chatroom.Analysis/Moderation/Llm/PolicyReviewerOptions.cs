using System.ComponentModel.DataAnnotations;
using Chatroom.Core.Moderation;

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
    /// The server's written rules (<see cref="WrittenRules.ConfigurationKey"/>), which the model applies; a room's own rules
    /// follow them under <see cref="WrittenRules.RoomHeading"/>.
    /// </summary>
    [Required]
    [MinLength(20)]
    public string Rules { get; set; } = WrittenRules.Default;

    /// <summary>Room for the model's reasoning and its answer: gpt-oss models think before they answer.</summary>
    [Range(64, 16384)]
    public int MaxOutputTokens { get; set; } = 2048;
}
