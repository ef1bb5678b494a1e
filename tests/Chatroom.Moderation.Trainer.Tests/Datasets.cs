namespace Chatroom.Moderation.Trainer.Tests;

/// <summary>The labelled data beside the repository (../shared/datasets in CI), found from the test's output folder.</summary>
internal static class Datasets
{
    public static string Directory =>
        TrainerCommand.FindDatasets(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"No shared/datasets folder beside the repository above {AppContext.BaseDirectory}.");
}
