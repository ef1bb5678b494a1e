using Chatroom.Analysis.Moderation;
using Chatroom.Analysis.Moderation.Classifiers;
using Xunit.Abstractions;

namespace Chatroom.Analysis.Tests.Moderation;

/// <summary>Scores the embedded tier on the hand-labelled development set; the minimums catch regressions.</summary>
public sealed class DevSetEvaluationTests(ITestOutputHelper output)
{
    [Fact]
    public void EmbeddedTier_MeetsMinimumQuality_OnTheDevelopmentSet()
    {
        var moderator = ClassifierModerator.Default;
        var mood = new ClassificationReport("mood", Moods.All);
        var safety = new ClassificationReport("safety", [SafetyLabels.Safe, SafetyLabels.Unsafe]);
        var categories = SafetyCategories.All.ToDictionary(c => c, c => new ClassificationReport(c, ["yes", "no"]));
        var errors = new List<string>();
        var calibration = new List<(double Score, bool Unsafe)>();

        foreach (var item in DevSet.All)
        {
            var verdict = moderator.Classify(item.Text);
            calibration.Add((verdict.UnsafeScore, item.Safety == SafetyLabels.Unsafe));
            mood.Add(item.Mood, verdict.Mood);
            safety.Add(item.Safety, verdict.Safety);
            foreach (var (category, report) in categories)
            {
                report.Add(item.Categories.Contains(category) ? "yes" : "no", verdict.Categories.Contains(category) ? "yes" : "no");
            }

            if (verdict.Safety != item.Safety || verdict.Mood != item.Mood)
            {
                errors.Add($"  [{item.Mood}/{item.Safety}] got [{verdict.Mood} {verdict.MoodScore:F2}/{verdict.Safety} {verdict.UnsafeScore:F2} {string.Join(',', verdict.Categories)}] {item.Text}");
            }
        }

        output.WriteLine(mood.ToString());
        output.WriteLine(safety.ToString());
        output.WriteLine("category       F1 (one-vs-rest, support)");
        foreach (var (category, report) in categories)
        {
            output.WriteLine($"  {category,-12} {report.F1("yes"):F3} ({DevSet.All.Count(i => i.Categories.Contains(category))})");
        }

        var brier = calibration.Average(c => Math.Pow(c.Score - (c.Unsafe ? 1 : 0), 2));
        output.WriteLine($"unsafeScore calibration: Brier={brier:F3}");
        foreach (var (low, high) in new[] { (0.0, 0.1), (0.1, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01) })
        {
            var bin = calibration.Where(c => c.Score >= low && c.Score < high).ToList();
            output.WriteLine($"  score {low:F1}-{Math.Min(high, 1):F1}: n={bin.Count,3} observed unsafe={(bin.Count == 0 ? 0 : bin.Count(c => c.Unsafe) / (double)bin.Count):F2}");
        }

        output.WriteLine($"misclassified ({errors.Count}):");
        foreach (var error in errors)
        {
            output.WriteLine(error);
        }

        Assert.True(DevSet.All.Count >= 400, "the development set should hold at least 400 messages");
        // Minimums sit a few points under the measured values (docs/moderation.md) so regressions fail.
        Assert.True(safety.Accuracy >= 0.95, $"safety accuracy {safety.Accuracy:F3}");
        Assert.True(safety.F1(SafetyLabels.Unsafe) >= 0.94, $"unsafe F1 {safety.F1(SafetyLabels.Unsafe):F3}");
        Assert.True(mood.Accuracy >= 0.83, $"mood accuracy {mood.Accuracy:F3}");
        Assert.True(mood.MacroF1 >= 0.80, $"mood macro F1 {mood.MacroF1:F3}");
        Assert.True(brier <= 0.08, $"unsafeScore Brier {brier:F3}");
        foreach (var (category, report) in categories)
        {
            Assert.True(report.F1("yes") >= 0.88, $"{category} F1 {report.F1("yes"):F3}");
        }
    }
}
