using BenchmarkDotNet.Attributes;
using Chatroom.Analysis.Moderation.Classifiers;
using Chatroom.Analysis.Moderation.Normalization;

namespace Chatroom.Analysis.Bench;

/// <summary>
/// Messages per second of the embedded tier on one core (Program pins the process to CPU 0). Each benchmark operation
/// classifies the whole corpus, so messages/s = corpus size / mean time; the target is at least 20,000/s.
/// </summary>
[Config(typeof(OneCoreConfig))]
[MemoryDiagnoser]
public class EmbeddedTierBenchmarks
{
    private const int CorpusSize = 64;

    /// <summary>Chat lines of every kind the tier meets; the second stage's benchmark picks the uncertain ones.</summary>
    internal static readonly string[] Samples =
    [
        "good morning everyone! hope you all have a great day",
        "lol that's hilarious 😂",
        "what time is the meeting tomorrow?",
        "I'm heading to the store, need anything?",
        "this update broke everything, really disappointed",
        "you're an idiot",
        "f.u c-k you",
        "STFU u r a b i t c h",
        "kys loser",
        "I will kill you",
        "this song kills",
        "I could kill for a pizza right now haha",
        "shoot me a message when you're free",
        "how old are you? don't tell your parents we talk",
        "FREE ROBUX click here www.free-robux.xyz",
        "the graphics are nice but the gameplay is awful",
        "not bad at all, I actually liked it",
        "soooo goooood!!! <3",
        "ｙｏｕ ａｒｅ ａｎ ｉｄｉｏｔ",
        "уоu аrе а mоrоn",
        "I don't want to live anymore",
        "immigrants are vermin",
        "can someone share the link to the docs https://learn.microsoft.com/dotnet",
        "the build takes about five minutes, then we deploy to staging and run the smoke tests before lunch",
        "@mike you are a total clown",
        "sh1t h3ll0 w0rld",
        "kill the process and restart the server",
        "ok",
        "I'm so sad today 😢",
        "congrats on the new job!! 🎉",
        "meh, not worth the money",
        "check out my channel and subscribe to win a prize http://bit.ly/x1",
    ];

    private static readonly string[] Corpus = BuildCorpus();

    private readonly ClassifierModerator _moderator = ClassifierModerator.Default;
    private readonly TextNormalizer _normalizer = TextNormalizer.Default;

    [GlobalSetup]
    public void Warm() => _moderator.Classify("warm up the lexicons");

    [Benchmark(OperationsPerInvoke = CorpusSize, Description = "normalise only (per message)")]
    public int Normalize()
    {
        var tokens = 0;
        foreach (var text in Corpus)
        {
            tokens += _normalizer.Normalize(text).Tokens.Count;
        }

        return tokens;
    }

    [Benchmark(OperationsPerInvoke = CorpusSize, Baseline = true, Description = "embedded verdict (per message)")]
    public int Classify()
    {
        var unsafeCount = 0;
        foreach (var text in Corpus)
        {
            unsafeCount += _moderator.Classify(text).IsUnsafe ? 1 : 0;
        }

        return unsafeCount;
    }

    private static string[] BuildCorpus() => Enumerable.Range(0, CorpusSize).Select(i => Samples[i % Samples.Length]).ToArray();
}
