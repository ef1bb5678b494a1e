using Chatroom.Analysis.Agents.Routing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chatroom.Analysis.Tests.Agents;

/// <summary>Messages scored by meaning at the same time (a backlog on the agents queue) share embedding calls.</summary>
public sealed class EmbeddingBatchingTests
{
    [Fact]
    public async Task MessagesScoredWhileACallIsInFlightShareTheNextCall_EachGettingItsOwnScores()
    {
        var embedder = new GatedEmbedder();
        var matcher = new SemanticMatcher(embedder, NullLogger<SemanticMatcher>.Instance);

        var first = matcher.ScoreAsync("north", ["north", "east"], CancellationToken.None);
        await embedder.FirstCallStarted.Task;
        // A backlog: three more messages while the first call runs; "north" again (the same text) is embedded once.
        var others = new[] { "east", "east north", "north" }.Select(text => matcher.ScoreAsync(text, ["north", "east"], CancellationToken.None)).ToList();
        embedder.Release.SetResult();
        var scores = await Task.WhenAll([first, .. others]);

        Assert.Equal(2, embedder.Calls.Count);
        Assert.Equal(["north", "east"], embedder.Calls[0]);
        Assert.Equal(["east", "east north", "north"], embedder.Calls[1].Order(StringComparer.Ordinal));
        Assert.Equal([1.0, 0.0], scores[0]!);
        Assert.Equal([0.0, 1.0], scores[1]!);
        Assert.Equal([0.7071, 0.7071], scores[2]!);
        Assert.Equal([1.0, 0.0], scores[3]!);
    }

    [Fact]
    public async Task AFailedCallFailsOnlyTheMessagesInIt()
    {
        var embedder = new GatedEmbedder { FailFirstCall = true };
        var matcher = new SemanticMatcher(embedder, NullLogger<SemanticMatcher>.Instance);

        var first = matcher.ScoreAsync("north", ["north"], CancellationToken.None);
        await embedder.FirstCallStarted.Task;
        var second = matcher.ScoreAsync("east", ["north"], CancellationToken.None);
        embedder.Release.SetResult();

        Assert.Null(await first);
        Assert.Equal(new[] { 0.0 }, await second);
    }

    /// <summary>Words as axes (north, east); the first call waits until released, and may fail.</summary>
    private sealed class GatedEmbedder : IEmbeddingGenerator<string, Embedding<float>>
    {
        public TaskCompletionSource FirstCallStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool FailFirstCall { get; init; }

        public List<string[]> Calls { get; } = [];

        public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            string[] texts = [.. values];
            bool first;
            lock (Calls)
            {
                Calls.Add(texts);
                first = Calls.Count == 1;
            }

            if (first)
            {
                FirstCallStarted.SetResult();
                await Release.Task;
                if (FailFirstCall)
                {
                    throw new HttpRequestException("the embedding server failed");
                }
            }

            return [.. texts.Select(t => new Embedding<float>(new[] { t.Contains("north", StringComparison.Ordinal) ? 1f : 0f, t.Contains("east", StringComparison.Ordinal) ? 1f : 0f }))];
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
