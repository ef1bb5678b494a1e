using System.Globalization;
using Chatroom.Analysis.Guardian;
using Chatroom.Analysis.Knowledge;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chatroom.Guardian.Eval;

/// <summary>
/// <c>generate</c> | <c>fit</c> | <c>eval [--split test|dev]</c>, with <c>--data &lt;dir&gt;</c> (default: this project's
/// data folder) and, for <c>fit</c>, <c>--model &lt;guardian-model.json&gt;</c> (default: the analysis project's).
/// </summary>
internal static class GuardianEvalProgram
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var root = FindRepository();
        var data = Option(args, "--data") ?? Path.Combine(root, "bench", "guardian-eval", "conversations");
        using var embeddings = new LocalEmbeddingGenerator(NullLogger<LocalEmbeddingGenerator>.Instance);
        var index = new GuardianExemplarIndex(embeddings);
        switch (args.FirstOrDefault())
        {
            case "generate":
                return GenerateCommand.Run(data, Option(args, "--seed") is { } seed ? int.Parse(seed, CultureInfo.InvariantCulture) : GenerateCommand.DefaultSeed, output);
            case "fit":
                return await FitCommand.RunAsync(data, Option(args, "--model") ?? Path.Combine(root, "src", "Chatroom.Analysis", "Guardian", "guardian-model.json"),
                    model => new GuardianScorer(embeddings, index, model), output, CancellationToken.None);
            case "eval":
                return await EvalCommand.RunAsync(data, Option(args, "--split") ?? "test", new GuardianScorer(embeddings, index, GuardianModel.Default), output, CancellationToken.None);
            default:
                output.WriteLine("usage: generate [--seed n] | fit [--model path] | eval [--split test|dev]   (all: [--data dir])");
                return 2;
        }
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Chatroom.sln")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
