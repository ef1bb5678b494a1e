namespace Chatroom.Moderation.Trainer;

/// <summary>One task's rows: training, the seeded validation split, and the provided validation file (null when absent).</summary>
public sealed record TaskData(List<Example> Train, List<Example> Validation, List<Example>? Provided);
