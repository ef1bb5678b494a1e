using System.Text.Json.Nodes;
using Chatroom.Testing.FakeLlm;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;

namespace Chatroom.EndToEnd.Tests;

/// <summary>
/// What the admin page learns about the chat models (<c>GET /api/analysis/models</c>): configured or not, answering or not,
/// and the configuration key to set. Chat users never see these keys (ConciergeEndToEndTests).
/// </summary>
public sealed class ModelStatusTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task WithoutModelsTheAdminIsToldWhichKeysToSetAndOthersAreRefused()
    {
        await using var host = await StandaloneHost.StartAsync(_data.Path);
        var models = await ModelsAsync(host);

        Assert.Equal(["analysis-model", "reasoning-model"], models.Select(m => m!["name"]!.GetValue<string>()));
        Assert.All(models, m =>
        {
            Assert.False(m!["configured"]!.GetValue<bool>());
            Assert.Null(m["reachable"]);
            var key = "ConnectionStrings__" + m["name"]!.GetValue<string>();
            Assert.Equal(key, m["configurationKey"]!.GetValue<string>());
            Assert.Contains(key + "=Endpoint=", m["hint"]!.GetValue<string>());
        });
        Assert.Contains("Agents answer without a model", models[1]!["hint"]!.GetValue<string>());

        using var refused = await host.Api.SendAsync(HttpMethod.Get, "/api/analysis/models", await host.Api.GuestTokenAsync("ana"));
        Assert.Equal((403, "forbidden"), await ChatApiClient.ProblemAsync(refused));
    }

    [Fact]
    public async Task AModelThatAnswersNeedsNoHintAndOneThatDoesNotIsNamedWithItsKey()
    {
        await using var ollama = await FakeOllamaServer.StartAsync();
        Uri gone;
        await using (var stopped = await FakeOllamaServer.StartAsync())
        {
            gone = stopped.Endpoint;
        }

        await using var host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["ConnectionStrings:analysis-model"] = $"Endpoint={ollama.Endpoint};Model=fake-model",
            ["ConnectionStrings:reasoning-model"] = $"Endpoint={gone};Model=big-model",
        });
        var models = await ModelsAsync(host);

        var analysis = models.Single(m => m!["name"]!.GetValue<string>() == "analysis-model")!;
        Assert.True(analysis["configured"]!.GetValue<bool>());
        Assert.True(analysis["reachable"]!.GetValue<bool>());
        Assert.Equal("fake-model", analysis["model"]!.GetValue<string>());
        Assert.Null(analysis["hint"]);

        var reasoning = models.Single(m => m!["name"]!.GetValue<string>() == "reasoning-model")!;
        Assert.True(reasoning["configured"]!.GetValue<bool>());
        Assert.False(reasoning["reachable"]!.GetValue<bool>());
        var hint = reasoning["hint"]!.GetValue<string>();
        Assert.StartsWith($"ConnectionStrings__reasoning-model points at {gone}", hint);
        Assert.Contains("Agents answer with the analysis model.", hint);
    }

    private static async Task<JsonArray> ModelsAsync(StandaloneHost host)
    {
        var admin = await host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
        using var response = await host.Api.SendAsync(HttpMethod.Get, "/api/analysis/models", admin);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }
}
