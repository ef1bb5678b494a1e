namespace Chatroom.Moderation.Trainer;

/// <summary>One uncertain band of a binary head (empty when <see cref="Low"/> &gt; <see cref="High"/>) and the combined macro-F1 it gives on the head's validation rows.</summary>
internal sealed record BandCandidate(double Low, double High, double F1);
