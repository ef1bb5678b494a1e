using Chatroom.Analysis.Moderation.Classifiers;

namespace Chatroom.Moderation.Trainer;

/// <summary>The trained, calibrated model and its validation figures.</summary>
public sealed record TrainingResult(TrainedModel Model, ValidationFigures Figures);
