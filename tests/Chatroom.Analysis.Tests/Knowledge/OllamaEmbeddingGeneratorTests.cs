using Chatroom.Analysis.Knowledge;
using Chatroom.Analysis.Models;
using Chatroom.Analysis.Tests.Models;
using Chatroom.Testing.FakeLlm;
using Microsoft.Extensions.AI;

namespace Chatroom.Analysis.Tests.Knowledge;

public sealed class OllamaEmbeddingGeneratorTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly TestMeterFactory _meters = new();
    private FakeOllamaServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOllamaServer.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _meters.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task EmbedsInBatchesInInputOrderAndCountsTokens()
    {
        using var embedder = new OllamaEmbeddingGenerator(_http, _server.Endpoint, "nomic-embed-text", batchSize: 2, metrics: new LlmMetrics(_meters));
        string[] inputs = ["reset your password", "office opening hours", "lunch in the canteen", "monthly invoices", "pay by card"];

        var embeddings = await embedder.GenerateAsync(inputs);

        Assert.Equal(5, embeddings.Count);
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(FakeOllamaServer.BagOfWords(inputs[i], _server.EmbeddingDimensions), embeddings[i].Vector.ToArray());
        }

        Assert.Equal([2, 2, 1], _server.EmbedRequests.Select(r => r.GetProperty("input").GetArrayLength()));
        Assert.All(_server.EmbedRequests, r => Assert.Equal("nomic-embed-text", r.GetProperty("model").GetString()));
        Assert.Equal("reset your password", _server.EmbedRequests[0].GetProperty("input")[0].GetString());
        Assert.True(embeddings.Usage?.InputTokenCount > 0);
        Assert.Equal(embeddings.Usage!.InputTokenCount!.Value, _meters.Sum("chatroom.llm.tokens", ("purpose", "embedding"), ("kind", "prompt")));
        Assert.Equal(3, _meters.Sum("chatroom.llm.requests", ("purpose", "embedding"), ("outcome", "success"), ("model", "nomic-embed-text")));
        Assert.Equal("ollama", embedder.GetService<EmbeddingGeneratorMetadata>()?.ProviderName);
    }

    [Fact]
    public async Task AnEmptyInputListMakesNoRequest()
    {
        using var embedder = new OllamaEmbeddingGenerator(_http, _server.Endpoint, "nomic-embed-text");

        var embeddings = await embedder.GenerateAsync([]);

        Assert.Empty(embeddings);
        Assert.Empty(_server.EmbedRequests);
    }

    [Fact]
    public async Task AnUnknownModelFailsWithA404ThatSaysWhatToCheck()
    {
        _server.EmbeddingModels.Add("nomic-embed-text");
        using var embedder = new OllamaEmbeddingGenerator(_http, _server.Endpoint, "no-such-model", metrics: new LlmMetrics(_meters));

        var error = await Assert.ThrowsAsync<KnowledgeBackendException>(() => embedder.GenerateAsync(["hello"]));

        Assert.Contains("answered 404", error.Message);
        // OllamaSharp reports the status, not Ollama's error body; the message says what to check instead.
        Assert.Contains("is the model pulled", error.Message);
        Assert.Equal(1, _meters.Sum("chatroom.llm.requests", ("purpose", "embedding"), ("outcome", "error")));
    }

    [Fact]
    public async Task AServerErrorAndAMalformedBodyAreClearErrors()
    {
        _server.EnqueueEmbed(FakeLlmReply.Status(500, "llama runner process has terminated"), FakeLlmReply.Malformed("{\"embeddings\": [[0.1,"));
        using var embedder = new OllamaEmbeddingGenerator(_http, _server.Endpoint, "nomic-embed-text");

        var status = await Assert.ThrowsAsync<KnowledgeBackendException>(() => embedder.GenerateAsync(["hello"]));
        var malformed = await Assert.ThrowsAsync<KnowledgeBackendException>(() => embedder.GenerateAsync(["hello"]));

        Assert.Contains("answered 500", status.Message);
        Assert.Contains("for model nomic-embed-text", status.Message);
        Assert.Contains("unreadable embedding response", malformed.Message);
    }

    [Fact]
    public async Task ASilentServerTimesOut_ButTheCallersCancellationStaysACancellation()
    {
        _server.EnqueueEmbed(FakeLlmReply.Hang(), FakeLlmReply.Hang());
        using var embedder = new OllamaEmbeddingGenerator(_http, _server.Endpoint, "nomic-embed-text", timeout: TimeSpan.FromMilliseconds(300), metrics: new LlmMetrics(_meters));

        var timedOut = await Assert.ThrowsAsync<KnowledgeBackendException>(() => embedder.GenerateAsync(["hello"]));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => embedder.GenerateAsync(["hello"], cancellationToken: cancel.Token));

        Assert.Contains("did not answer within 0.3 s", timedOut.Message);
        Assert.Equal(1, _meters.Sum("chatroom.llm.requests", ("purpose", "embedding"), ("outcome", "timeout")));
    }

    [Fact]
    public async Task AnUnreachableServerIsAClearError()
    {
        var port = Chatroom.Testing.Hosting.FreePort.Next();
        using var embedder = new OllamaEmbeddingGenerator(_http, new Uri($"http://127.0.0.1:{port}/"), "nomic-embed-text");

        var error = await Assert.ThrowsAsync<KnowledgeBackendException>(() => embedder.GenerateAsync(["hello"]));

        Assert.Contains("is unreachable", error.Message);
    }
}
