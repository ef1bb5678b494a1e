using Chatroom.Analysis.Knowledge;
using Chatroom.Analysis.Models;
using Chatroom.Analysis.Tests.Models;
using Chatroom.Testing.FakeLlm;

namespace Chatroom.Analysis.Tests.Knowledge;

public sealed class OpenAiEmbeddingGeneratorTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly TestMeterFactory _meters = new();
    private FakeOpenAiServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _meters.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task EmbedsThroughV1EmbeddingsInBatchesAndCountsTokens()
    {
        using var embedder = new OpenAiEmbeddingGenerator(_http, _server.ApiEndpoint, "text-embedding-3-small", "test-key", batchSize: 2, metrics: new LlmMetrics(_meters));

        var embeddings = await embedder.GenerateAsync(["one", "two", "three"]);

        Assert.Equal(3, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(embeddings[0].Vector.Length, e.Vector.Length));
        Assert.NotEqual(embeddings[0].Vector.ToArray(), embeddings[1].Vector.ToArray());
        Assert.True(embeddings.Usage?.InputTokenCount > 0);
        Assert.Equal(2, _meters.Sum("chatroom.llm.requests", ("purpose", "embedding"), ("outcome", "success"), ("model", "text-embedding-3-small")));
    }

    [Fact]
    public async Task AWrongEndpointIsAClearError()
    {
        using var embedder = new OpenAiEmbeddingGenerator(_http, _server.Endpoint, "text-embedding-3-small", null);

        var error = await Assert.ThrowsAsync<KnowledgeBackendException>(() => embedder.GenerateAsync(["one"]));

        Assert.Contains("answered 404", error.Message);
        Assert.Contains("/embeddings", error.Message);
    }
}
