namespace Chatroom.Moderation.Trainer;

/// <summary>
/// Hyper-parameters of one head: AdaGrad learning rate, L2 strength (applied to the weights an example touches),
/// epochs, and whether the loss weighs classes inversely to their frequency (balanced).
/// </summary>
public sealed record HeadSettings(double LearningRate, double L2, int Epochs, bool BalancedClasses);
