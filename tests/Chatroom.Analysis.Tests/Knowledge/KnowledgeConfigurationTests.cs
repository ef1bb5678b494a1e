using Chatroom.Analysis.Knowledge;
using Chatroom.Embedded;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Tests.Knowledge;

public sealed class KnowledgeConfigurationTests
{
    [Fact]
    public void AnAspireOllamaConnectionStringParses()
    {
        var connection = EmbeddingModelConnection.Parse("Endpoint=http://ollama:11434;Model=nomic-embed-text");

        Assert.Equal(new Uri("http://ollama:11434/"), connection.Endpoint);
        Assert.Equal("nomic-embed-text", connection.Model);
        Assert.Equal("ollama", connection.Provider);
        Assert.Null(connection.Key);
    }

    [Fact]
    public void AnOpenAiConnectionStringKeepsItsPathAndHidesItsKey()
    {
        var connection = EmbeddingModelConnection.Parse("Endpoint=https://llm.example/v1;Model=bge-m3;Provider=OpenAI;Key=sk-secret");

        Assert.Equal(new Uri("https://llm.example/v1/"), connection.Endpoint);
        Assert.True(connection.IsOpenAi);
        Assert.Equal("sk-secret", connection.Key);
        Assert.DoesNotContain("sk-secret", connection.ToString());
    }

    [Theory]
    [InlineData("Model=x", "Endpoint=http://host:11434")]
    [InlineData("Endpoint=ftp://host;Model=x", "Endpoint=http://host:11434")]
    [InlineData("Endpoint=http://host:11434", "Model=name")]
    [InlineData("Endpoint=http://host:11434;Model=x;Provider=azure", "Unknown embedding-model provider 'azure'")]
    [InlineData("Endpoint=\"http://host", "malformed")]
    public void ABadEmbeddingConnectionStringSaysWhatIsWrong(string value, string expected)
    {
        var error = Assert.Throws<FormatException>(() => EmbeddingModelConnection.Parse(value));

        Assert.Contains(expected, error.Message);
        Assert.Contains("embedding-model", error.Message);
    }

    [Fact]
    public void AMilvusConnectionStringParsesWithDefaults()
    {
        var full = MilvusConnection.Parse("Endpoint=http://milvus:19530;Key=root:Milvus;Database=chat");
        var bare = MilvusConnection.Parse("Endpoint=http://milvus:19530");

        Assert.Equal((new Uri("http://milvus:19530/"), "root:Milvus", "chat"), (full.Endpoint, full.Token, full.Database));
        Assert.Equal((null, "default"), (bare.Token, bare.Database));
        Assert.DoesNotContain("root:Milvus", full.ToString());
        Assert.Contains("milvus", Assert.Throws<FormatException>(() => MilvusConnection.Parse("Key=root:Milvus")).Message);
    }

    [Fact]
    public void WithoutConnectionStringsTheEmbeddedBackendsAreUsed()
    {
        using var host = Build([]);

        Assert.IsType<LocalEmbeddingGenerator>(host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.IsType<LocalVectorIndex>(host.Services.GetRequiredService<KnowledgeCollection>());
    }

    [Fact]
    public void ConnectionStringsSelectOllamaAndMilvus()
    {
        using var host = Build(new()
        {
            ["ConnectionStrings:embedding-model"] = "Endpoint=http://127.0.0.1:11434;Model=nomic-embed-text",
            ["ConnectionStrings:milvus"] = "Endpoint=http://127.0.0.1:19530;Key=root:Milvus;Database=default",
            ["Chatroom:Knowledge:Collection"] = "team_docs",
            ["Chatroom:Knowledge:EmbeddingBatchSize"] = "16",
        });

        var embedder = Assert.IsType<OllamaEmbeddingGenerator>(host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
        var store = Assert.IsType<MilvusVectorStore>(host.Services.GetRequiredService<KnowledgeCollection>());
        Assert.Equal(16, embedder.BatchSize);
        Assert.Equal("team_docs", store.Collection);
    }

    [Fact]
    public void TheOpenAiProviderSelectsTheOpenAiEmbedder()
    {
        using var host = Build(new() { ["ConnectionStrings:embedding-model"] = "Endpoint=http://127.0.0.1:8000/v1;Model=bge-m3;Provider=openai" });

        Assert.IsType<OpenAiEmbeddingGenerator>(host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
    }

    [Fact]
    public void AMalformedConnectionStringStopsRegistration() =>
        Assert.Throws<FormatException>(() => Build(new() { ["ConnectionStrings:milvus"] = "Database=default" }));

    [Theory]
    [InlineData("Chatroom:Knowledge:Collection", "has-dashes")]
    [InlineData("Chatroom:Knowledge:MaxChunksPerDocument", "0")]
    [InlineData("Chatroom:Knowledge:EmbeddingBatchSize", "5000")]
    [InlineData("Chatroom:Knowledge:RequestTimeout", "00:00:00")]
    public void InvalidOptionsAreRefused(string key, string value)
    {
        using var host = Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<KnowledgeOptions>>().Value);
        Assert.Contains(key.Split(':')[^1], error.Message);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.Configure<EmbeddedOptions>(o => o.DataDirectory = Path.Combine(Path.GetTempPath(), "kb-config-" + Guid.NewGuid().ToString("N")));
        builder.AddKnowledge();
        return builder.Build();
    }
}
