namespace Chatroom.Analysis.Moderation;

/// <summary>Why an embedded verdict goes up a tier; a message can have several.</summary>
[Flags]
public enum EscalationReasons
{
    None = 0,

    /// <summary>A severe category was sighted (<see cref="EscalationOptions.SevereCategories"/>).</summary>
    Severe = 1,

    /// <summary>Safety confidence below the threshold, or a category score inside its uncertain band.</summary>
    UncertainSafety = 2,

    /// <summary>Mood confidence below the threshold: only the analysis model decides mood.</summary>
    UncertainMood = 4,

    /// <summary>The room's policy sends every message up (<see cref="LlmPolicy.Always"/>).</summary>
    Always = 8,

    /// <summary>The reasons that ask for a second opinion on safety.</summary>
    Safety = Severe | UncertainSafety | Always,
}
