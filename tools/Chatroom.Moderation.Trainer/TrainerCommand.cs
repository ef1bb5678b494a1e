using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Chatroom.Moderation.Trainer;

/// <summary>
/// <c>[--data &lt;datasets folder&gt;] [--out &lt;model file&gt;] [--seed N] [--limit rows] [--{mood,offensive,hate}-{l2,lr,epochs} v]</c>:
/// trains the trained tier (<see cref="TrainingRun"/>), prints validation figures and writes the model file with its
/// size and SHA-256. Without <c>--data</c> it looks for <c>shared/datasets</c> beside the repository or one level up
/// (../shared/datasets in CI, /work/shared/datasets for a worktree under /work/wt).
/// </summary>
public static class TrainerCommand
{
    public static int Run(string[] args, TextWriter output)
    {
        var data = Option(args, "--data") ?? FindDatasets(Directory.GetCurrentDirectory());
        if (data is null || !Directory.Exists(data))
        {
            output.WriteLine("usage: [--data <folder with the labelled TSV files>] [--out <trained_model.bin.gz>] [--seed N] [--limit rows per file]");
            output.WriteLine("no datasets folder found (looked for ../shared/datasets from the repository root).");
            return 2;
        }

        var defaults = new TrainingOptions(data);
        var options = defaults with
        {
            Seed = Option(args, "--seed") is { } seed ? int.Parse(seed, CultureInfo.InvariantCulture) : defaults.Seed,
            RowLimit = Option(args, "--limit") is { } limit ? int.Parse(limit, CultureInfo.InvariantCulture) : defaults.RowLimit,
            Mood = Head(args, "mood", defaults.Mood),
            Offensive = Head(args, "offensive", defaults.Offensive),
            Hate = Head(args, "hate", defaults.Hate),
        };

        output.WriteLine($"data: {Path.GetFullPath(data)}");
        output.WriteLine($"heads: mood {options.Mood}; offensive {options.Offensive}; hate {options.Hate}");
        var clock = Stopwatch.StartNew();
        var result = TrainingRun.Train(options, output);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained in {clock.Elapsed.TotalSeconds:F1} s"));
        var f = result.Figures;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"summary: own split mood macro-recall {f.MoodMacroRecall:F3}, offensive macro-F1 {f.OffensiveMacroF1:F3}, hate macro-F1 {f.HateMacroF1:F3}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"summary: provided *-val.tsv mood macro-recall {f.ProvidedMoodMacroRecall:F3}, offensive macro-F1 {f.ProvidedOffensiveMacroF1:F3}, hate macro-F1 {f.ProvidedHateMacroF1:F3}"));

        if (Option(args, "--out") is { } path)
        {
            using (var file = File.Create(path))
            {
                result.Model.Write(file);
            }

            var bytes = File.ReadAllBytes(path);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"model written to {path}: {bytes.Length:N0} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))}"));
        }

        return 0;
    }

    /// <summary>The labelled data folder relative to the repository holding <paramref name="start"/>.</summary>
    public static string? FindDatasets(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (!File.Exists(Path.Combine(directory.FullName, "Chatroom.sln")))
            {
                continue;
            }

            foreach (var relative in (string[])["../shared/datasets", "../../shared/datasets"])
            {
                var candidate = Path.GetFullPath(Path.Combine(directory.FullName, relative));
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }

        return null;
    }

    private static HeadSettings Head(string[] args, string name, HeadSettings defaults) => defaults with
    {
        L2 = Number(args, $"--{name}-l2") ?? defaults.L2,
        LearningRate = Number(args, $"--{name}-lr") ?? defaults.LearningRate,
        Epochs = (int?)Number(args, $"--{name}-epochs") ?? defaults.Epochs,
        BalancedClasses = !args.Contains($"--{name}-unbalanced"),
    };

    private static double? Number(string[] args, string name) =>
        Option(args, name) is { } value ? double.Parse(value, CultureInfo.InvariantCulture) : null;

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
