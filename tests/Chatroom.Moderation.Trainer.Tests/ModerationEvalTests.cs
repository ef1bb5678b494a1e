using Chatroom.Moderation.Eval;

namespace Chatroom.Moderation.Trainer.Tests;

/// <summary>bench/moderation-eval on small samples, embedded tier only (CI has no model server).</summary>
public sealed class ModerationEvalTests
{
    [Fact]
    public async Task ProjectJsonl_ReportsMoodSafetyAndEscalation()
    {
        var output = new StringWriter();
        var report = await EvalCommand.EvaluateAsync(Path.Combine(AppContext.BaseDirectory, "Data", "devset.jsonl"), null, int.MaxValue, null, null, output);

        // The whole development set (a few hundred messages, a fraction of a second): its first rows are all safe.
        Assert.True(report.Messages >= 400, $"{report.Messages} messages");
        Assert.InRange(report.MoodAccuracy, 0.6, 1);
        Assert.InRange(report.SafetyAccuracy, 0.8, 1);
        Assert.InRange(report.UnsafeAuprc, 0.8, 1);
        Assert.InRange(report.EscalatedShare, 0, 1);
        Assert.Contains("AUPRC", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("p99", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LabelledTsv_IsReadForItsTask()
    {
        var output = new StringWriter();
        var report = await EvalCommand.EvaluateAsync(Path.Combine(Datasets.Directory, "offensive-tweeteval-val.tsv"), "offensive", 100, null, "never", output);

        Assert.Equal(100, report.Messages);
        Assert.InRange(report.SafetyAccuracy, 0.5, 1);
        Assert.True(double.IsNaN(report.MoodAccuracy), "an offensive file labels no mood");
        Assert.Equal(0, report.EscalatedShare);
    }

    [Fact]
    public async Task MissingFile_PrintsUsage()
    {
        var output = new StringWriter();
        Assert.Equal(2, await EvalCommand.RunAsync(["--file", "/nonexistent.tsv"], output));
        Assert.Contains("usage", output.ToString(), StringComparison.Ordinal);
    }
}
