namespace Chatroom.Moderation.Trainer;

/// <summary>
/// A text turned into the model's sparse inputs (<see cref="Chatroom.Analysis.Moderation.Classifiers.TrainedFeatures"/>),
/// with the text as read (the second stage embeds it) and the weight of its loss (1, more for moderators' decisions).
/// </summary>
public sealed record Example(int[] Slots, float[] Values, int Label, string Text, double Weight = 1);
