using System.ComponentModel.DataAnnotations;

namespace Chatroom.Analysis.Guardian;

/// <summary><c>Chatroom:Guardian</c>: the guardian agent's threshold, window and contact limits (docs/configuration.md).</summary>
public sealed class GuardianOptions
{
    public const string Section = "Chatroom:Guardian";

    /// <summary>Whether the worker watches private conversations (the score API works either way).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The score a conversation needs to open a case; null uses the fitted model's (guardian-model.json).</summary>
    [Range(0.0, 1.0)]
    public double? Threshold { get; set; }

    /// <summary>How many of a conversation's latest messages a window holds.</summary>
    [Range(4, 200)]
    public int WindowMessages { get; set; } = 30;

    /// <summary>How far back a window reaches; older messages drop out of it.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")]
    public TimeSpan WindowAge { get; set; } = TimeSpan.FromDays(2);

    /// <summary>New contacts with different minors an adult may open within <see cref="ContactPeriod"/> before a case opens.</summary>
    [Range(2, 1000)]
    public int MaxNewMinorContacts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")]
    public TimeSpan ContactPeriod { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Most messages one score request may send.</summary>
    [Range(1, 1000)]
    public int MaxTranscriptMessages { get; set; } = 200;
}
