using Chatroom.Analysis.Knowledge;
using Chatroom.Testing.FakeLlm;
using Chatroom.Testing.FakeMilvus;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Tests.Knowledge;

/// <summary>The knowledge base over Ollama embeddings and Milvus, both fakes speaking the real protocols.</summary>
public sealed class KnowledgeBaseTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private FakeOllamaServer _ollama = null!;
    private FakeMilvusServer _milvus = null!;

    public async Task InitializeAsync()
    {
        _ollama = await FakeOllamaServer.StartAsync();
        _milvus = await FakeMilvusServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _ollama.DisposeAsync();
        await _milvus.DisposeAsync();
    }

    [Fact]
    public async Task DocumentsAreChunkedEmbeddedStoredAndFoundByMeaning()
    {
        using var store = new MilvusVectorStore(_http, MilvusConnection.Parse(_milvus.ConnectionString()), "kb", TimeSpan.FromSeconds(10), NullLogger<MilvusVectorStore>.Instance);
        var knowledge = Knowledge(store, new KnowledgeOptions());

        var added = await knowledge.AddAsync("Parking", "# Parking\n\nVisitors park in the garage under the building; the gate opens with the visitor code.", CancellationToken.None);
        await knowledge.AddAsync("Holidays", "# Holidays\n\nBook holidays in the HR portal at least two weeks ahead.", CancellationToken.None);
        var hits = await knowledge.SearchAsync("where do visitors park", 2, CancellationToken.None);

        Assert.Equal(1, added.Chunks);
        Assert.Equal("Parking", hits[0].Title);
        Assert.Equal(added.Id, hits[0].DocumentId);
        Assert.Contains("visitor code", hits[0].Text);
        Assert.Equal(_ollama.EmbeddingDimensions, _milvus.Collection("kb")!.Field("vector")!.Dimension);
    }

    [Fact]
    public async Task ADocumentWithTooManyPassagesIsRefusedBeforeAnythingIsEmbedded()
    {
        using var store = new MilvusVectorStore(_http, MilvusConnection.Parse(_milvus.ConnectionString()), "kb", TimeSpan.FromSeconds(10), NullLogger<MilvusVectorStore>.Instance);
        var knowledge = Knowledge(store, new KnowledgeOptions { MaxChunksPerDocument = 2 });
        var text = string.Join("\n\n", Enumerable.Range(1, 3).Select(i => $"# Part {i}\n\nSection {i} text."));

        var error = await Assert.ThrowsAsync<KnowledgeLimitException>(() => knowledge.AddAsync("Long", text, CancellationToken.None));

        Assert.Contains("3 passages; at most 2", error.Message);
        Assert.Empty(_ollama.EmbedRequests);
        Assert.Empty(_milvus.Requests);
    }

    private KnowledgeBase Knowledge(KnowledgeCollection store, KnowledgeOptions options) =>
        new(new OllamaEmbeddingGenerator(_http, _ollama.Endpoint, "nomic-embed-text"), store, TimeProvider.System, Options.Create(options));
}
