using System.ComponentModel.DataAnnotations;

namespace Chatroom.Analysis.Moderation;

/// <summary>What moderation does about an unsafe message.</summary>
public enum UnsafeAction
{
    /// <summary>Put it in the admins' review queue (default).</summary>
    Flag,

    /// <summary>Hide it for everyone (and flag it for review).</summary>
    Hide,

    /// <summary>Hide it and mute the author for <see cref="AnalysisOptions.MuteSeconds"/>.</summary>
    Mute,

    /// <summary>Flag it and turn on slow mode in the room.</summary>
    SlowMode,
}

/// <summary>A room's own policy; unset values fall back to the global ones.</summary>
public sealed class RoomPolicy
{
    public UnsafeAction? Action { get; set; }

    public LlmPolicy? Llm { get; set; }
}

/// <summary><c>Chatroom:Analysis</c>: the worker, the actions and the trend alerts.</summary>
public sealed class AnalysisOptions
{
    public const string Section = "Chatroom:Analysis";

    /// <summary>Concurrent consumers of the analysis queue in this process.</summary>
    [Range(1, 64)]
    public int Workers { get; set; } = 1;

    /// <summary>Messages read from the queue at once (and classified together per room).</summary>
    [Range(1, 256)]
    public int BatchSize { get; set; } = 16;

    /// <summary>Preceding messages of the room given to the LLM tier as context.</summary>
    [Range(0, 20)]
    public int ContextMessages { get; set; } = 3;

    public UnsafeAction UnsafeAction { get; set; } = UnsafeAction.Flag;

    [Range(1, 86_400)]
    public int MuteSeconds { get; set; } = 60;

    [Range(1, 3_600)]
    public int SlowModeSeconds { get; set; } = 10;

    /// <summary>Per-room overrides, by room name.</summary>
    public Dictionary<string, RoomPolicy> Rooms { get; set; } = new(StringComparer.Ordinal);

    public UnsafeAction ActionFor(string room) => Rooms.TryGetValue(room, out var policy) && policy.Action is { } action ? action : UnsafeAction;

    public LlmPolicy? LlmFor(string room) => Rooms.TryGetValue(room, out var policy) ? policy.Llm : null;
}
