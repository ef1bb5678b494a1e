using System.Diagnostics;
using System.Numerics.Tensors;
using Chatroom.Analysis.Knowledge;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Chatroom.Analysis.Tests.Knowledge;

/// <summary>The embedded default (MiniLM in ONNX, no server): meaning, not words; measured recall and cost.</summary>
public sealed class LocalEmbeddingTests(ITestOutputHelper output, LocalEmbeddingTests.Model model) : IClassFixture<LocalEmbeddingTests.Model>
{
    public sealed class Model : IDisposable
    {
        public LocalEmbeddingGenerator Generator { get; } = new(NullLogger<LocalEmbeddingGenerator>.Instance);

        public void Dispose() => Generator.Dispose();
    }

    private LocalEmbeddingGenerator Generator => model.Generator;

    [Fact]
    public async Task TheModelShipsInThePackage_AndGivesNormalised384DimensionVectors()
    {
        var embeddings = await Generator.GenerateAsync(["hello world", "a second sentence"]);

        Assert.Equal(2, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(LocalEmbeddingGenerator.Dimensions, e.Vector.Length));
        Assert.All(embeddings, e => Assert.InRange(TensorPrimitives.Norm(e.Vector.Span), 0.99f, 1.01f));
        output.WriteLine($"model load: {Generator.LoadTime?.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task MoneyBackIsCloserToRefundThanToUnrelatedText()
    {
        var e = await Generator.GenerateAsync(["I want my money back", "refund", "the weather is nice today"]);

        var refund = TensorPrimitives.CosineSimilarity(e[0].Vector.Span, e[1].Vector.Span);
        var weather = TensorPrimitives.CosineSimilarity(e[0].Vector.Span, e[2].Vector.Span);
        output.WriteLine($"money back~refund {refund:F3}, money back~weather {weather:F3}");
        Assert.True(refund > weather + 0.15, $"{refund} vs {weather}");
    }

    [Fact]
    public async Task SearchFindsThePassageWhenTheQuestionSharesNoWordWithIt_AndMeasuresRecallAtK()
    {
        using var data = new Chatroom.Testing.Hosting.TempDirectory();
        var store = new LocalVectorIndex(Options.Create(new Chatroom.Embedded.EmbeddedOptions { DataDirectory = data.Path }));
        var knowledge = new KnowledgeBase(Generator, store, TimeProvider.System, Options.Create(new KnowledgeOptions()));
        foreach (var (title, text, _) in SemanticCorpus.Items)
        {
            await knowledge.AddAsync(title, text, CancellationToken.None);
        }

        int at1 = 0, at3 = 0, words1 = 0, words3 = 0;
        foreach (var (title, _, question) in SemanticCorpus.Items)
        {
            var hits = await knowledge.SearchAsync(question, 3, CancellationToken.None);
            at1 += hits.Count > 0 && hits[0].Title == title ? 1 : 0;
            at3 += hits.Any(h => h.Title == title) ? 1 : 0;
            var lexical = store.SearchWords(question, 3);
            words1 += lexical.Count > 0 && lexical[0].Record.Title == title ? 1 : 0;
            words3 += lexical.Any(h => h.Record.Title == title) ? 1 : 0;
            output.WriteLine($"{question} -> {string.Join(", ", hits.Select(h => $"{h.Title} {h.Score:F2}"))}");
        }

        var n = SemanticCorpus.Items.Length;
        output.WriteLine($"MiniLM recall@1 {at1}/{n}, recall@3 {at3}/{n}; words recall@1 {words1}/{n}, recall@3 {words3}/{n}");
        var refund = await knowledge.SearchAsync("how do I get my money back?", 1, CancellationToken.None);
        Assert.Equal("Refunds", refund[0].Title);
        Assert.True(at3 >= n - 1, $"recall@3 {at3}/{n}");
        Assert.True(at1 >= n * 3 / 4, $"recall@1 {at1}/{n}");
    }

    [Fact]
    public async Task CostPerMessage_BatchedAndAlone()
    {
        var messages = Enumerable.Range(0, 64).Select(i => $"message {i}: who is up for pizza tonight after the {i % 7} o'clock meeting?").ToArray();
        await Generator.GenerateAsync(messages.Take(4));

        var batched = Stopwatch.StartNew();
        foreach (var batch in messages.Chunk(16))
        {
            await Generator.GenerateAsync(batch);
        }

        batched.Stop();
        var alone = Stopwatch.StartNew();
        foreach (var message in messages.Take(16))
        {
            await Generator.GenerateAsync([message]);
        }

        alone.Stop();
        output.WriteLine($"batched (16): {batched.Elapsed.TotalMilliseconds / messages.Length:F2} ms/message; alone: {alone.Elapsed.TotalMilliseconds / 16:F2} ms/message");
        Assert.True(batched.Elapsed.TotalMilliseconds / messages.Length < 200);
    }

    [Fact]
    public async Task AModelThatFailsToLoadLeavesSearchOnWords()
    {
        using var broken = new LocalEmbeddingGenerator(NullLogger<LocalEmbeddingGenerator>.Instance, () => throw new FileNotFoundException("model.onnx is missing"));
        using var data = new Chatroom.Testing.Hosting.TempDirectory();
        var store = new LocalVectorIndex(Options.Create(new Chatroom.Embedded.EmbeddedOptions { DataDirectory = data.Path }));
        var knowledge = new KnowledgeBase(broken, store, TimeProvider.System, Options.Create(new KnowledgeOptions()));

        await knowledge.AddAsync("Parking", "Visitors park in the garage under the building.", CancellationToken.None);
        await knowledge.AddAsync("Holidays", "Book holidays in the HR portal.", CancellationToken.None);
        var hits = await knowledge.SearchAsync("where do visitors park", 2, CancellationToken.None);

        Assert.False(broken.IsAvailable);
        Assert.Equal("Parking", hits[0].Title);
        await Assert.ThrowsAsync<EmbeddingUnavailableException>(() => broken.GenerateAsync(["x"]));
    }

    [Fact]
    public async Task PassagesOfAnotherModelAreReindexed()
    {
        using var data = new Chatroom.Testing.Hosting.TempDirectory();
        var store = new LocalVectorIndex(Options.Create(new Chatroom.Embedded.EmbeddedOptions { DataDirectory = data.Path }));
        await store.UpsertAsync([new VectorRecord("old-0", "old", "Refunds", "We return your payment within 14 days.", new float[1024])], CancellationToken.None);
        var reindexer = new KnowledgeReindexer(Generator, store, Options.Create(new KnowledgeOptions()), NullLogger<KnowledgeReindexer>.Instance);

        Assert.Equal(1, await reindexer.ReindexAsync(store, CancellationToken.None));
        Assert.Equal(0, await reindexer.ReindexAsync(store, CancellationToken.None));
        var reopened = new LocalVectorIndex(Options.Create(new Chatroom.Embedded.EmbeddedOptions { DataDirectory = data.Path }));
        Assert.Empty(reopened.Stale(LocalEmbeddingGenerator.Dimensions));
        var knowledge = new KnowledgeBase(Generator, reopened, TimeProvider.System, Options.Create(new KnowledgeOptions()));
        Assert.Equal("Refunds", (await knowledge.SearchAsync("money back", 1, CancellationToken.None))[0].Title);
    }

    [Fact]
    public async Task AMilvusCollectionOfAnotherModelIsRebuiltWithThisModelsDimensions_LoggingProgress()
    {
        await using var milvus = await Chatroom.Testing.FakeMilvus.FakeMilvusServer.StartAsync();
        using var http = new HttpClient();
        using var store = new MilvusVectorStore(http, MilvusConnection.Parse(milvus.ConnectionString()), "kb_reindex", TimeSpan.FromSeconds(10),
            NullLogger<MilvusVectorStore>.Instance);
        // Written by an older, 8-dimensional embedding model.
        await store.UpsertAsync(
        [
            new VectorRecord("refunds-0", "refunds", "Refunds", "We return your payment within 14 days.", [1, 0, 0, 0, 0, 0, 0, 0]),
            new VectorRecord("parking-0", "parking", "Parking", "Visitors park in the garage under the building.", [0, 1, 0, 0, 0, 0, 0, 0]),
            new VectorRecord("holidays-0", "holidays", "Holidays", "Book holidays in the HR portal.", [0, 0, 1, 0, 0, 0, 0, 0]),
        ], CancellationToken.None);
        var log = new RecordingLogger<KnowledgeReindexer>();
        var reindexer = new KnowledgeReindexer(Generator, store, Options.Create(new KnowledgeOptions { EmbeddingBatchSize = 2 }), log);

        Assert.Equal(3, await reindexer.ReindexAsync(store, CancellationToken.None));

        Assert.Equal(LocalEmbeddingGenerator.Dimensions, await store.DimensionAsync(CancellationToken.None));
        Assert.Equal(["Re-indexed 2/3 knowledge passages", "Re-indexed 3/3 knowledge passages"], log.Messages.Where(m => m.Id == 5612).Select(m => m.Text));
        Assert.Contains(log.Messages, m => m.Id == 5615 && m.Text.Contains("8 → 384 dimensions, 3 passages", StringComparison.Ordinal));
        Assert.Equal(0, await reindexer.ReindexAsync(store, CancellationToken.None));
        var knowledge = new KnowledgeBase(Generator, store, TimeProvider.System, Options.Create(new KnowledgeOptions()));
        Assert.Equal("Refunds", (await knowledge.SearchAsync("money back", 1, CancellationToken.None))[0].Title);
        Assert.Equal("Parking", (await knowledge.SearchAsync("where can guests leave their car", 1, CancellationToken.None))[0].Title);
    }

    /// <summary>Keeps what was logged: event id and formatted message.</summary>
    private sealed class RecordingLogger<T> : ILogger<T>
    {
        public System.Collections.Concurrent.ConcurrentQueue<(int Id, string Text)> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue((eventId.Id, formatter(state, exception)));
    }

    [Theory]
    [InlineData("pizza", "who wants pepperoni tonight?")]
    [InlineData("pizza", "the build is broken again")]
    [InlineData("pizza", "let's order some food")]
    [InlineData("football", "did you see the match last night? what a goal")]
    [InlineData("football", "my cat is sleeping on the keyboard")]
    [InlineData("kubernetes", "the pods keep crashing in the cluster")]
    [InlineData("kubernetes", "who wants pepperoni tonight?")]
    [InlineData("questions about the library: opening hours, loans, returns", "when does the library open on sundays?")]
    [InlineData("questions about the library: opening hours, loans, returns", "can I borrow a book for three weeks?")]
    [InlineData("questions about the library: opening hours, loans, returns", "anyone watching the game tonight?")]
    [InlineData("questions about the library: opening hours, loans, returns", "hi everyone, how was your weekend?")]
    [InlineData("help with travel bookings: flights, hotels, trains", "I need a hotel in Berlin next week")]
    [InlineData("help with travel bookings: flights, hotels, trains", "lol that meme is great")]
    public async Task Scores(string topic, string message)
    {
        var e = await Generator.GenerateAsync([topic, message]);
        output.WriteLine($"SCORE {topic} ~ {message}: {TensorPrimitives.CosineSimilarity(e[0].Vector.Span, e[1].Vector.Span):F3}");
    }
}
