namespace Chatroom.Moderation.Trainer;

/// <summary>
/// One uncertain band of a head and the figure the head gives with it on its validation rows (combined macro-F1 for
/// offensive and hate, empty when <see cref="Low"/> &gt; <see cref="High"/>; macro-recall for mood, whose band is
/// "top probability below <see cref="Low"/>").
/// </summary>
internal sealed record BandCandidate(double Low, double High, double Figure);
