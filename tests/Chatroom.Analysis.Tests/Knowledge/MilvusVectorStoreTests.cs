using System.Net.Http.Json;
using Chatroom.Analysis.Knowledge;
using Chatroom.Testing.FakeMilvus;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chatroom.Analysis.Tests.Knowledge;

public sealed class MilvusVectorStoreTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private FakeMilvusServer _milvus = null!;

    public async Task InitializeAsync() => _milvus = await FakeMilvusServer.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _milvus.DisposeAsync();
    }

    [Fact]
    public async Task TheFirstUpsertCreatesTheCollectionAndSearchRanksByCosine()
    {
        using var store = Store();

        await store.UpsertAsync(
        [
            new VectorRecord("doc-a-0", "doc-a", "North", "points north", [1, 0, 0, 0]),
            new VectorRecord("doc-b-0", "doc-b", "North-east", "points north-east", [1, 1, 0, 0]),
            new VectorRecord("doc-c-0", "doc-c", "South", "points south", [-1, 0, 0, 0]),
        ], CancellationToken.None);
        var hits = await store.SearchAsync([0.9f, 0.1f, 0, 0], 3, CancellationToken.None);

        var collection = _milvus.Collection("kb_test")!;
        Assert.True(collection.Loaded);
        Assert.Equal("COSINE", collection.MetricType);
        Assert.Equal(new FakeMilvusField("id", "VarChar", true, null, MilvusVectorStore.MaxIdBytes), collection.Primary);
        Assert.Equal(4, collection.Field("vector")!.Dimension);
        Assert.Equal(["id", "vector", "document_id", "title", "text"], collection.Fields.Select(f => f.Name));
        Assert.Equal(3, collection.Count);

        // The south passage has a negative similarity: not a hit, as in the embedded index.
        Assert.Equal(["doc-a", "doc-b"], hits.Select(h => h.Record.DocumentId));
        Assert.Equal("points north", hits[0].Record.Text);
        Assert.Equal("North", hits[0].Record.Title);
        Assert.Equal("doc-a-0", hits[0].Record.Id);
        Assert.True(hits[0].Score > hits[1].Score);
        Assert.Equal(["collections/has", "collections/create", "entities/upsert", "entities/search"], _milvus.Requests.Select(r => r.Path));
        Assert.All(_milvus.Requests, r => Assert.Equal("default", r.Body.GetProperty("dbName").GetString()));
        var search = _milvus.Requests[^1].Body;
        Assert.Equal("vector", search.GetProperty("annsField").GetString());
        Assert.Equal(3, search.GetProperty("limit").GetInt32());
    }

    [Fact]
    public async Task UpsertReplacesAPassageWithTheSameId()
    {
        using var store = Store();

        await store.UpsertAsync([new VectorRecord("p-0", "p", "Old", "old text", [1, 0])], CancellationToken.None);
        await store.UpsertAsync([new VectorRecord("p-0", "p", "New", "new text", [1, 0])], CancellationToken.None);
        var hits = await store.SearchAsync([1, 0], 5, CancellationToken.None);

        Assert.Equal("new text", Assert.Single(hits).Record.Text);
        Assert.Equal(1, _milvus.Requests.Count(r => r.Path == "collections/create"));
    }

    [Fact]
    public async Task SearchingBeforeAnythingWasStoredFindsNothingAndCreatesNothing()
    {
        using var store = Store();

        var hits = await store.SearchAsync([1, 0, 0], 5, CancellationToken.None);

        Assert.Empty(hits);
        Assert.Null(_milvus.Collection("kb_test"));
    }

    [Fact]
    public async Task AnExistingUnloadedCollectionIsLoadedBeforeUse()
    {
        using (var first = Store())
        {
            await first.UpsertAsync([new VectorRecord("p-0", "p", "Title", "text", [0, 1])], CancellationToken.None);
        }

        _milvus.Collection("kb_test")!.Release();
        using var second = Store();
        var hits = await second.SearchAsync([0, 1], 1, CancellationToken.None);

        Assert.Single(hits);
        Assert.Contains(_milvus.Requests, r => r.Path == "collections/load");
    }

    [Fact]
    public async Task AWrongTokenIsRefusedWithMilvusAuthenticationCode()
    {
        using var store = Store(connection: $"Endpoint={_milvus.Endpoint};Key=root:wrong");

        var error = await Assert.ThrowsAsync<MilvusException>(() => store.SearchAsync([1, 0], 1, CancellationToken.None));

        Assert.Equal(1800, error.Code);
        Assert.Contains("user hasn't authenticated", error.Message);
    }

    [Fact]
    public async Task AnUnknownDatabaseIsRefused()
    {
        using var store = Store(connection: $"Endpoint={_milvus.Endpoint};Key={FakeMilvusServer.DefaultToken};Database=nope");

        var error = await Assert.ThrowsAsync<MilvusException>(() => store.UpsertAsync([new VectorRecord("a", "a", "a", "a", [1])], CancellationToken.None));

        Assert.Equal(800, error.Code);
        Assert.Contains("nope", error.Message);
    }

    [Fact]
    public async Task AVectorOfAnotherDimensionIsRefusedWithMilvusErrors()
    {
        using (var first = Store())
        {
            await first.UpsertAsync([new VectorRecord("p-0", "p", "Title", "text", [1, 0, 0, 0])], CancellationToken.None);
        }

        // A second process whose embedder changed: same collection, other dimension.
        using var second = Store();
        var upsert = await Assert.ThrowsAsync<MilvusException>(() => second.UpsertAsync([new VectorRecord("q-0", "q", "T", "t", [1, 0, 0])], CancellationToken.None));
        var search = await Assert.ThrowsAsync<MilvusException>(() => second.SearchAsync([1, 0, 0], 1, CancellationToken.None));

        Assert.Equal(1804, upsert.Code);
        Assert.Contains("dim", upsert.Message);
        Assert.Equal(1100, search.Code);
        Assert.Contains("entities/search on default.kb_test", search.Message);
    }

    [Fact]
    public async Task TheFakeRefusesUnknownCollectionsLikeMilvus()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_milvus.Endpoint, "v2/vectordb/entities/search"))
        {
            Content = JsonContent.Create(new { collectionName = "missing", data = new[] { new[] { 1f } }, annsField = "vector" }),
        };
        request.Headers.Authorization = new("Bearer", FakeMilvusServer.DefaultToken);

        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(100, body.GetProperty("code").GetInt32());
        Assert.StartsWith("collection not found", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AnUnreachableMilvusIsAClearError()
    {
        var port = Chatroom.Testing.Hosting.FreePort.Next();
        using var store = Store(connection: $"Endpoint=http://127.0.0.1:{port};Key=root:Milvus");

        var error = await Assert.ThrowsAsync<KnowledgeBackendException>(() => store.SearchAsync([1], 1, CancellationToken.None));

        Assert.Contains("is unreachable", error.Message);
    }

    [Fact]
    public void LongValuesAreCutToMilvusByteLimitsWithoutSplittingACharacter()
    {
        Assert.Equal("abc", MilvusVectorStore.Cut("abc", 3));
        Assert.Equal("ab", MilvusVectorStore.Cut("abc", 2));
        Assert.Equal("a", MilvusVectorStore.Cut("aé", 2));
        Assert.Equal("a", MilvusVectorStore.Cut("a😀", 4));
    }

    private MilvusVectorStore Store(string? connection = null) => new(
        _http, MilvusConnection.Parse(connection ?? _milvus.ConnectionString()), "kb_test", TimeSpan.FromSeconds(10), NullLogger<MilvusVectorStore>.Instance);
}
