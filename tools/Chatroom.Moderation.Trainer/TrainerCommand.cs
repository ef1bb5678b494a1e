using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Chatroom.Moderation.Trainer;

/// <summary>
/// <c>[--data &lt;datasets folder&gt;] [--out &lt;model file&gt;] [--second-stage-out &lt;heads file&gt;] [--seed N] [--limit rows]
/// [--embedding-cache &lt;folder&gt;] [--second-stage-limit rows] [--second-stage-max-share s] [--second-stage-without-mood] [--no-second-stage] [--extra &lt;file&gt;]... [--extra-weight w]
/// [--extra-cap rows] [--{mood,offensive,hate}-{l2,lr,epochs} v]</c>: trains the trained tier (<see cref="TrainingRun"/>)
/// and its second stage on MiniLM vectors (<see cref="SecondStageTrainer"/>), prints validation figures and writes the
/// model files with their size and SHA-256. With <c>--extra</c> files it trains twice and prints the figures without
/// and with them (the files written are the run with them). Without <c>--data</c> it looks for <c>shared/datasets</c>
/// beside the repository or one level up (../shared/datasets in CI, /work/shared/datasets for a worktree under /work/wt).
/// </summary>
public static class TrainerCommand
{
    public static int Run(string[] args, TextWriter output)
    {
        var data = Option(args, "--data") ?? FindDatasets(Directory.GetCurrentDirectory());
        if (data is null || !Directory.Exists(data))
        {
            output.WriteLine("usage: [--data <folder with the labelled TSV files>] [--out <trained_model.bin.gz>] [--second-stage-out <embedding_heads.bin.gz>] [--seed N] [--limit rows per file]");
            output.WriteLine("       [--embedding-cache <folder>] [--second-stage-limit rows per file] [--second-stage-max-share 0-1] [--second-stage-without-mood] [--no-second-stage] [--extra <tsv|jsonl>]... [--extra-weight w] [--extra-cap rows]");
            output.WriteLine("no datasets folder found (looked for ../shared/datasets from the repository root).");
            return 2;
        }

        using var embeddings = args.Contains("--no-second-stage") ? null : new SentenceEmbeddings(Option(args, "--embedding-cache") ?? DefaultEmbeddingCache);
        var defaults = new TrainingOptions(data);
        var options = defaults with
        {
            Seed = Option(args, "--seed") is { } seed ? int.Parse(seed, CultureInfo.InvariantCulture) : defaults.Seed,
            RowLimit = Option(args, "--limit") is { } limit ? int.Parse(limit, CultureInfo.InvariantCulture) : defaults.RowLimit,
            Mood = Head(args, "mood", defaults.Mood),
            Offensive = Head(args, "offensive", defaults.Offensive),
            Hate = Head(args, "hate", defaults.Hate),
            Embeddings = embeddings,
            SecondStageRowLimit = (int?)Number(args, "--second-stage-limit") ?? defaults.SecondStageRowLimit,
            SecondStageMaxShare = Number(args, "--second-stage-max-share") ?? defaults.SecondStageMaxShare,
            SecondStageMood = args.Contains("--second-stage-without-mood") ? null : defaults.SecondStageMood,
            Extra = [.. args.Select((a, i) => (a, i)).Where(p => p.a == "--extra" && p.i + 1 < args.Length).Select(p => args[p.i + 1])],
            ExtraWeight = Number(args, "--extra-weight") ?? defaults.ExtraWeight,
            ExtraCap = (int?)Number(args, "--extra-cap") ?? defaults.ExtraCap,
        };

        output.WriteLine($"data: {Path.GetFullPath(data)}");
        output.WriteLine($"heads: mood {options.Mood}; offensive {options.Offensive}; hate {options.Hate}");
        if (options.Extra.Count > 0)
        {
            output.WriteLine("== without the extra rows ==");
            Summarize(TrainingRun.Train(options with { Extra = [] }, output), output, "without extra rows");
            output.WriteLine($"== with the extra rows ({string.Join(", ", options.Extra)}) ==");
        }

        var clock = Stopwatch.StartNew();
        var result = TrainingRun.Train(options, output);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained in {clock.Elapsed.TotalSeconds:F1} s"));
        if (embeddings is not null)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"embedding: {embeddings.Encoded} texts embedded in {embeddings.EncodeTime.TotalSeconds:F1} s, the rest from the cache"));
        }

        Summarize(result, output, options.Extra.Count > 0 ? "with extra rows" : "own split");
        if (Option(args, "--out") is { } path)
        {
            Write(path, result.Model.Write, output);
        }

        if (Option(args, "--second-stage-out") is { } headsPath && result.SecondStage is { } heads)
        {
            Write(headsPath, heads.Write, output);
        }

        return 0;
    }

    /// <summary>Where sentence vectors are cached between runs unless <c>--embedding-cache</c> says otherwise (outside the repository).</summary>
    public static string DefaultEmbeddingCache => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "chatroom", "trainer-embeddings");

    private static void Summarize(TrainingResult result, TextWriter output, string name)
    {
        var f = result.Figures;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"summary ({name}): own split mood macro-recall {f.MoodMacroRecall:F3}, offensive macro-F1 {f.OffensiveMacroF1:F3}, hate macro-F1 {f.HateMacroF1:F3}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"summary ({name}): provided *-val.tsv mood macro-recall {f.ProvidedMoodMacroRecall:F3}, offensive macro-F1 {f.ProvidedOffensiveMacroF1:F3}, hate macro-F1 {f.ProvidedHateMacroF1:F3}"));
        if (result.SecondStageFigures is { } s)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"summary ({name}): with the second stage, own split mood macro-recall {s.Mood.Combined:F3}, offensive macro-F1 {s.Offensive.Combined:F3}, hate macro-F1 {s.Hate.Combined:F3}; {s.Share:P1} of the rows reach it (mood {s.Mood.Share:P1}, offensive {s.Offensive.Share:P1}, hate {s.Hate.Share:P1})"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"summary ({name}): with the second stage, provided *-val.tsv mood macro-recall {s.ProvidedMood?.Combined ?? double.NaN:F3}, offensive macro-F1 {s.ProvidedOffensive?.Combined ?? double.NaN:F3}, hate macro-F1 {s.ProvidedHate?.Combined ?? double.NaN:F3}"));
        }
    }

    private static void Write(string path, Action<Stream> write, TextWriter output)
    {
        using (var file = File.Create(path))
        {
            write(file);
        }

        var bytes = File.ReadAllBytes(path);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"model written to {path}: {bytes.Length:N0} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))}"));
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
