using System.Text.Json.Nodes;
using Chatroom.Testing.FakeLlm;
using Chatroom.Testing.FakeMilvus;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;

namespace Chatroom.EndToEnd.Tests;

/// <summary>
/// The knowledge base on its distributed backends: embeddings from (fake) Ollama's <c>/api/embed</c>, passages in
/// (fake) Milvus over REST v2, with no chat model, so the assistant answers by quoting.
/// </summary>
public sealed class KnowledgeBackendTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private FakeOllamaServer _ollama = null!;
    private FakeMilvusServer _milvus = null!;
    private StandaloneHost _host = null!;
    private string _admin = null!;

    public async Task InitializeAsync()
    {
        _ollama = await FakeOllamaServer.StartAsync();
        _ollama.EmbeddingModels.Add("nomic-embed-text");
        _milvus = await FakeMilvusServer.StartAsync();
        await StartHostAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _milvus.DisposeAsync();
        await _ollama.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task PassagesLiveInMilvusAreRankedByOllamaEmbeddingsAndTheAssistantQuotesThem()
    {
        await AddDocumentAsync("Password help", "# Accounts\n\n## Resetting a password\n\nTo reset your password open Settings, choose Security and press Reset password. A link arrives by email within five minutes.");
        await AddDocumentAsync("Office", "# Office\n\nThe office is open from nine to five. Lunch is served in the canteen on the second floor.");
        await AddDocumentAsync("Billing", "# Billing\n\nInvoices are sent on the first day of each month. Pay by card or bank transfer.");

        var collection = _milvus.Collection("team_knowledge")!;
        Assert.Equal(3, collection.Count);
        Assert.Equal(_ollama.EmbeddingDimensions, collection.Field("vector")!.Dimension);
        Assert.Equal("COSINE", collection.MetricType);
        Assert.All(_ollama.EmbedRequests, r => Assert.Equal("nomic-embed-text", r.GetProperty("model").GetString()));
        Assert.False(File.Exists(Path.Combine(_data.Path, "knowledge.jsonl")));

        var guest = await _host.Api.GuestTokenAsync("reader");
        var hits = await SearchAsync(guest, "how do I reset my password", 3);
        Assert.Equal("Password help", hits[0]!["title"]!.GetValue<string>());
        Assert.Contains("Accounts › Resetting a password", hits[0]!["text"]!.GetValue<string>());
        Assert.True(hits.Count == 1 || hits[0]!["score"]!.GetValue<double>() > hits[1]!["score"]!.GetValue<double>());
        Assert.Equal("Office", (await SearchAsync(guest, "where is lunch served", 3))[0]!["title"]!.GetValue<string>());
        Assert.Equal("Billing", (await SearchAsync(guest, "when are invoices sent", 3))[0]!["title"]!.GetValue<string>());
        Assert.Contains(_milvus.Requests, r => r.Path == "entities/search" && r.Body.GetProperty("limit").GetInt32() == 3);

        await using var ana = await _host.Api.ConnectWithTokenAsync(guest);
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        await ana.InvokeAsync("SendMessage", "lobby", "@assistant how do I reset my password?", "k-1");
        var reply = await AgentTests.AgentReplyAsync(ana, "assistant");
        Assert.Contains("press Reset password", reply.GetProperty("text").GetString());
    }

    [Fact]
    public async Task TheKnowledgeSurvivesARestartBecauseMilvusHoldsIt()
    {
        await AddDocumentAsync("Parking", "# Parking\n\nVisitors park in the garage under the building; the gate opens with the visitor code.");

        await _host.DisposeAsync();
        await StartHostAsync();
        var guest = await _host.Api.GuestTokenAsync("reader");
        var hits = await SearchAsync(guest, "where can visitors park", 5);

        Assert.Equal("Parking", hits[0]!["title"]!.GetValue<string>());
        Assert.Equal(1, _milvus.Requests.Count(r => r.Path == "collections/create"));
        Assert.Contains(_milvus.Requests, r => r.Path == "collections/load");
    }

    [Fact]
    public async Task AFailingBackendIsA503AndNotAnEmptyAnswer()
    {
        var guest = await _host.Api.GuestTokenAsync("reader");
        _ollama.EnqueueEmbed(FakeLlmReply.Status(500, "llama runner process has terminated"));

        using var search = await _host.Api.SendAsync(HttpMethod.Get, "/api/knowledge/search?q=anything", guest);
        Assert.Equal((503, "backend_unavailable"), await ChatApiClient.ProblemAsync(search));

        _milvus.Token = "root:changed";
        using var add = await _host.Api.SendAsync(HttpMethod.Post, "/api/knowledge", _admin, new { title = "T", text = "Some text." });
        Assert.Equal((503, "backend_unavailable"), await ChatApiClient.ProblemAsync(add));
    }

    private async Task StartHostAsync()
    {
        _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["ConnectionStrings:embedding-model"] = $"Endpoint={_ollama.Endpoint};Model=nomic-embed-text",
            ["ConnectionStrings:milvus"] = _milvus.ConnectionString(),
            ["Chatroom:Knowledge:Collection"] = "team_knowledge",
        });
        _admin = await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
    }

    private async Task AddDocumentAsync(string title, string text)
    {
        using var response = await _host.Api.SendAsync(HttpMethod.Post, "/api/knowledge", _admin, new { title, text });
        Assert.Equal(201, (int)response.StatusCode);
    }

    private async Task<JsonArray> SearchAsync(string token, string query, int k)
    {
        using var response = await _host.Api.SendAsync(HttpMethod.Get, $"/api/knowledge/search?q={Uri.EscapeDataString(query)}&k={k}", token);
        Assert.Equal(200, (int)response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }
}
