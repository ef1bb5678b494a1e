using Chatroom.Analysis.Moderation.Classifiers;

namespace Chatroom.Moderation.Trainer;

/// <summary>The trained, calibrated model and its validation figures; the second stage and its figures when embeddings were given.</summary>
public sealed record TrainingResult(TrainedModel Model, ValidationFigures Figures, EmbeddingHeads? SecondStage = null, SecondStageFigures? SecondStageFigures = null);
