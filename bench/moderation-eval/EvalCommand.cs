using System.Diagnostics;
using System.Globalization;
using Chatroom.Analysis.Models;
using Chatroom.Analysis.Moderation.Llm;
using Chatroom.Analysis.Moderation;
using Chatroom.Analysis.Moderation.Classifiers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chatroom.Moderation.Eval;

/// <summary>
/// <c>--file &lt;labelled .tsv|.jsonl&gt; [--task mood|offensive|hate] [--limit N] [--model "Endpoint=…;Model=…[;Provider=openai;Key=…]"]
/// [--safety-model "Endpoint=…;Model=llama-guard3:1b"] [--safety-format llamaguard3|granite-guardian|shieldgemma]
/// [--policy never|uncertain|always] [--offensive-threshold p] [--hate-threshold p] [--mood-weight w] [--any-offensive] [--any-hate]</c>: classifies each message through <see cref="ModerationCascade"/> (embedded
/// only without <c>--model</c> and <c>--safety-model</c>, where the escalated share counts what would go up) one at a time, as the service does for a live message, and prints accuracy,
/// macro-F1/recall, AUPRC of the unsafe score, the share escalated, latency p50/p99 and the tokens the models reported.
/// </summary>
public static class EvalCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var file = Option(args, "--file");
        if (file is null || !File.Exists(file))
        {
            output.WriteLine("usage: --file <labelled .tsv|.jsonl> [--task mood|offensive|hate] [--limit N] [--model <connection string>] [--safety-model <connection string>] "
                + "[--safety-format llamaguard3|granite-guardian|shieldgemma] [--policy never|uncertain|always]");
            return 2;
        }

        var report = await EvaluateAsync(
            file,
            Option(args, "--task"),
            Option(args, "--limit") is { } limit ? int.Parse(limit, CultureInfo.InvariantCulture) : int.MaxValue,
            Option(args, "--model"),
            Option(args, "--policy"),
            output,
            Configure(args),
            Option(args, "--safety-model"),
            Option(args, "--safety-format")).ConfigureAwait(false);
        return report.Messages > 0 ? 0 : 1;
    }

    public static async Task<EvalReport> EvaluateAsync(string file, string? task, int limit, string? model, string? policyName, TextWriter output, ModerationOptions? moderation = null,
        string? safetyModel = null, string? safetyFormat = null)
    {
        var rows = LabelledMessage.Read(file, task, limit);
        var policy = policyName switch
        {
            "always" => LlmPolicy.Always,
            "never" => LlmPolicy.Never,
            "uncertain" => LlmPolicy.WhenUncertain,
            null => LlmPolicy.WhenUncertain,
            _ => throw new ArgumentException($"Unknown policy '{policyName}'."),
        };
        var options = moderation ?? new ModerationOptions();
        options.Llm = policy;
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var counts = new EvalCounters(meters);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var llm = model is null
            ? null
            : new LlmModerator(
                AnalysisModelClientFactory.Create(AnalysisModelConnection.Parse(model), http),
                Options.Create(new LlmModeratorOptions()),
                new LlmMetrics(meters),
                NullLogger<LlmModerator>.Instance);
        var judge = safetyModel is null
            ? null
            : new SafetyJudge(
                AnalysisModelClientFactory.Create(AnalysisModelConnection.Parse(safetyModel), http),
                Options.Create(new SafetyJudgeOptions { Format = safetyFormat }),
                Options.Create(new LlmModeratorOptions()),
                new LlmMetrics(meters),
                NullLogger<SafetyJudge>.Instance);
        var monitor = new FixedOptions(options);
        var cascade = new ModerationCascade(new ClassifierModerator(ModerationLexicon.Default, monitor), monitor, llm, judge, new EscalationMetrics(meters));
        await cascade.ClassifyAsync("warm up").ConfigureAwait(false);
        counts.Reset();

        var mood = new List<(string, string)>();
        var safety = new List<(string, string)>();
        var hate = new List<(string, string)>();
        var unsafeScores = new List<(bool, double)>();
        var latencies = new List<double>(rows.Count);
        foreach (var row in rows)
        {
            var started = Stopwatch.GetTimestamp();
            var verdict = await cascade.ClassifyAsync(row.Text).ConfigureAwait(false);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (row.Mood is { } expectedMood)
            {
                mood.Add((expectedMood, verdict.Mood));
            }

            if (row.Safety is { } expectedSafety)
            {
                safety.Add((expectedSafety, verdict.Safety));
                unsafeScores.Add((expectedSafety == SafetyLabels.Unsafe, verdict.UnsafeScore));
            }

            if (row.Categories is { } categories)
            {
                hate.Add((categories.Contains(SafetyCategories.Hate) ? "hate" : "not", verdict.Categories.Contains(SafetyCategories.Hate) ? "hate" : "not"));
            }
        }

        latencies.Sort();
        var report = new EvalReport(
            rows.Count,
            EvalMetrics.Accuracy(mood),
            mood.Count == 0 ? double.NaN : EvalMetrics.MacroRecall(mood, Moods.All),
            mood.Count == 0 ? double.NaN : EvalMetrics.MacroF1(mood, Moods.All),
            EvalMetrics.Accuracy(safety),
            safety.Count == 0 ? double.NaN : EvalMetrics.MacroF1(safety, [SafetyLabels.Safe, SafetyLabels.Unsafe]),
            EvalMetrics.Auprc(unsafeScores),
            hate.Count == 0 ? double.NaN : EvalMetrics.MacroF1(hate, ["hate", "not"]),
            // What the policy sent up, to a model or (without one) to no tier: the cascade's own escalation counter.
            rows.Count == 0 ? 0 : counts.Escalated / (double)rows.Count,
            EvalMetrics.Percentile(latencies, 0.5),
            EvalMetrics.Percentile(latencies, 0.99),
            counts.PromptTokens,
            counts.CompletionTokens);

        var tiers = string.Join(", ", new[] { llm is null ? null : "LLM tier " + llm.Model, judge is null ? null : $"safety judge {judge.Model} ({judge.Format})" }.OfType<string>());
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(file)}: {report.Messages} messages, policy {policy}, {(tiers.Length == 0 ? "embedded tier only" : tiers)}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mood:   accuracy {report.MoodAccuracy:F3}  macro-recall {report.MoodMacroRecall:F3}  macro-F1 {report.MoodMacroF1:F3}  (n={mood.Count})"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"safety: accuracy {report.SafetyAccuracy:F3}  macro-F1 {report.SafetyMacroF1:F3}  AUPRC(unsafe score) {report.UnsafeAuprc:F3}  (n={safety.Count})"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hate:   macro-F1 {report.HateMacroF1:F3}  (n={hate.Count})"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"escalated {report.EscalatedShare:P1}; latency p50 {report.LatencyP50Ms:F3} ms, p99 {report.LatencyP99Ms:F3} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tokens: prompt {report.PromptTokens}, completion {report.CompletionTokens} ({(report.Messages == 0 ? 0 : (report.PromptTokens + report.CompletionTokens) / (double)report.Messages):F1} per message)"));
        return report;
    }

    /// <summary>The embedded tier's settings from <c>--offensive-threshold</c>, <c>--hate-threshold</c>, <c>--mood-weight</c>, <c>--any-offensive</c>, <c>--any-hate</c>.</summary>
    private static ModerationOptions Configure(string[] args)
    {
        var options = new ModerationOptions
        {
            OffensiveNeedsAddressee = !args.Contains("--any-offensive"),
            HateNeedsGroup = !args.Contains("--any-hate"),
        };
        options.OffensiveThreshold = Number(args, "--offensive-threshold") ?? options.OffensiveThreshold;
        options.HateThreshold = Number(args, "--hate-threshold") ?? options.HateThreshold;
        options.TrainedMoodWeight = Number(args, "--mood-weight") ?? options.TrainedMoodWeight;
        return options;
    }

    private static double? Number(string[] args, string name) =>
        Option(args, name) is { } value ? double.Parse(value, CultureInfo.InvariantCulture) : null;

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private sealed class FixedOptions(ModerationOptions value) : IOptionsMonitor<ModerationOptions>
    {
        public ModerationOptions CurrentValue => value;

        public ModerationOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ModerationOptions, string?> listener) => null;
    }
}
