namespace Chatroom.Moderation.Trainer;

/// <summary>A text turned into the model's sparse inputs (<see cref="Chatroom.Analysis.Moderation.Classifiers.TrainedFeatures"/>).</summary>
public sealed record Example(int[] Slots, float[] Values, int Label);
