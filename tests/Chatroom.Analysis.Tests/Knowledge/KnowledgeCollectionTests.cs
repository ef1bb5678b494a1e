using Chatroom.Analysis.Knowledge;
using Chatroom.Testing.FakeMilvus;
using Chatroom.Testing.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.VectorData;

namespace Chatroom.Analysis.Tests.Knowledge;

/// <summary>
/// What both implementations of the knowledge collection do through Microsoft.Extensions.VectorData's
/// <see cref="VectorStoreCollection{TKey, TRecord}"/>: the embedded index and Milvus (REST v2, against the fake).
/// </summary>
public abstract class KnowledgeCollectionContract : IAsyncLifetime
{
    private static readonly VectorRecord[] Records =
    [
        new("doc-a-0", "doc-a", "Parking", "Visitors park in the garage.", [1, 0, 0, 0]),
        new("doc-a-1", "doc-a", "Parking", "The gate opens with the visitor code.", [0.9f, 0.1f, 0, 0]),
        new("doc-b-0", "doc-b", "Holidays", "Book holidays in the HR portal.", [0, 1, 0, 0]),
    ];

    protected VectorStoreCollection<string, VectorRecord> Collection { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Collection = await CreateAsync();
        await Collection.UpsertAsync(Records);
    }

    public abstract Task DisposeAsync();

    protected abstract Task<VectorStoreCollection<string, VectorRecord>> CreateAsync();

    [Fact]
    public async Task RecordsAreReadByKeyAndByFilter()
    {
        Assert.True(await Collection.CollectionExistsAsync());
        Assert.Equal("Holidays", (await Collection.GetAsync("doc-b-0"))?.Title);
        Assert.Null(await Collection.GetAsync("nope"));
        Assert.Equal(["doc-a-0", "doc-b-0"], await Collection.GetAsync(["doc-a-0", "doc-b-0", "nope"]).Select(r => r.Id).OrderBy(i => i).ToListAsync());
        Assert.Equal(["doc-a-0", "doc-a-1"], await Collection.GetAsync(r => r.DocumentId == "doc-a", 10).Select(r => r.Id).OrderBy(i => i).ToListAsync());
        var title = "Holidays";
        Assert.Equal(["doc-b-0"], await Collection.GetAsync(r => r.Title == title || r.Id == "nope", 10).Select(r => r.Id).ToListAsync());
    }

    [Fact]
    public async Task SearchRanksByCosine_WithAFilter()
    {
        var all = await Collection.SearchAsync(new float[] { 1, 0.05f, 0, 0 }, 3).ToListAsync();
        Assert.Equal(["doc-a-0", "doc-a-1", "doc-b-0"], all.Select(h => h.Record.Id));
        Assert.True(all[0].Score > all[1].Score);

        var filtered = await Collection.SearchAsync(new float[] { 1, 0.05f, 0, 0 }, 3, new VectorSearchOptions<VectorRecord> { Filter = r => r.DocumentId == "doc-b" }).ToListAsync();
        Assert.Equal(["doc-b-0"], filtered.Select(h => h.Record.Id));
    }

    [Fact]
    public async Task DeletedRecordsAreGone_AndADeletedCollectionIsEmpty()
    {
        await Collection.DeleteAsync("doc-a-0");
        Assert.Null(await Collection.GetAsync("doc-a-0"));
        Assert.Equal(["doc-a-1"], await Collection.GetAsync(r => r.DocumentId == "doc-a", 10).Select(r => r.Id).ToListAsync());

        await Collection.EnsureCollectionDeletedAsync();
        Assert.False(await Collection.CollectionExistsAsync());
        Assert.Empty(await Collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 3).ToListAsync());
    }
}

public sealed class EmbeddedKnowledgeCollectionTests : KnowledgeCollectionContract
{
    private readonly TempDirectory _data = new();

    public override Task DisposeAsync()
    {
        _data.Dispose();
        return Task.CompletedTask;
    }

    protected override Task<VectorStoreCollection<string, VectorRecord>> CreateAsync() =>
        Task.FromResult<VectorStoreCollection<string, VectorRecord>>(new LocalVectorIndex(Options.Create(new Chatroom.Embedded.EmbeddedOptions { DataDirectory = _data.Path })));
}

public sealed class MilvusKnowledgeCollectionTests : KnowledgeCollectionContract
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private FakeMilvusServer _milvus = null!;

    public override async Task DisposeAsync()
    {
        Collection.Dispose();
        _http.Dispose();
        await _milvus.DisposeAsync();
    }

    protected override async Task<VectorStoreCollection<string, VectorRecord>> CreateAsync()
    {
        _milvus = await FakeMilvusServer.StartAsync();
        return new MilvusVectorStore(_http, MilvusConnection.Parse(_milvus.ConnectionString()), "kb", TimeSpan.FromSeconds(10), NullLogger<MilvusVectorStore>.Instance);
    }

    [Fact]
    public void FiltersBecomeMilvusExpressions_AndOthersAreRefused()
    {
        var document = "doc-a";
        Assert.Equal("(document_id == \"doc-a\" and not (title != \"x\"))", MilvusFilter.Translate(r => r.DocumentId == document && !(r.Title != "x")));
        Assert.Equal("id in [\"a\", \"b\"]", MilvusFilter.IdIn(["a", "b"]));
        Assert.Throws<NotSupportedException>(() => MilvusFilter.Translate(r => r.Text.Contains("garage")));
    }
}
