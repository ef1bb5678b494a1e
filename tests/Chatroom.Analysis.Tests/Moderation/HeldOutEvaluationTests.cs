using Chatroom.Analysis.Moderation;
using Chatroom.Analysis.Moderation.Classifiers;
using Xunit.Abstractions;

namespace Chatroom.Analysis.Tests.Moderation;

/// <summary>
/// Scores the embedded tier on the held-out file (Data/heldout.jsonl): messages in the style of public toxicity and
/// sentiment sets, written before the rules were reworked and never used to tune them.
/// </summary>
public sealed class HeldOutEvaluationTests(ITestOutputHelper output)
{
    [Fact]
    public void EmbeddedTier_MeetsMinimumQuality_OnTheHeldOutSet()
    {
        var moderator = ClassifierModerator.Default;
        var mood = new ClassificationReport("mood (held-out)", Moods.All);
        var safety = new ClassificationReport("safety (held-out)", [SafetyLabels.Safe, SafetyLabels.Unsafe]);
        var categories = SafetyCategories.All.ToDictionary(c => c, c => new ClassificationReport(c, ["yes", "no"]));
        var errors = new List<string>();

        foreach (var item in DevSet.HeldOut)
        {
            var verdict = moderator.Classify(item.Text);
            mood.Add(item.Mood, verdict.Mood);
            safety.Add(item.Safety, verdict.Safety);
            foreach (var (category, report) in categories)
            {
                report.Add(item.Categories.Contains(category) ? "yes" : "no", verdict.Categories.Contains(category) ? "yes" : "no");
            }

            if (verdict.Safety != item.Safety)
            {
                errors.Add($"  [{item.Safety} {string.Join(',', item.Categories)}] got [{verdict.Safety} {verdict.UnsafeScore:F2} {string.Join(',', verdict.Categories)}] {item.Text}");
            }
        }

        output.WriteLine(mood.ToString());
        output.WriteLine(safety.ToString());
        output.WriteLine("category       F1 (one-vs-rest, support)");
        foreach (var (category, report) in categories)
        {
            output.WriteLine($"  {category,-12} {report.F1("yes"):F3} ({DevSet.HeldOut.Count(i => i.Categories.Contains(category))})");
        }

        output.WriteLine($"safety errors ({errors.Count}):");
        foreach (var error in errors)
        {
            output.WriteLine(error);
        }

        Assert.True(DevSet.HeldOut.Count >= 150, "the held-out set should hold at least 150 messages");
        // Minimums a few points under the values in docs/moderation.md (before the rework: safety 0.713, mood 0.656).
        Assert.True(safety.Accuracy >= 0.87, $"safety accuracy {safety.Accuracy:F3}");
        Assert.True(safety.F1(SafetyLabels.Unsafe) >= 0.87, $"unsafe F1 {safety.F1(SafetyLabels.Unsafe):F3}");
        Assert.True(mood.Accuracy >= 0.72, $"mood accuracy {mood.Accuracy:F3}");
    }
}
