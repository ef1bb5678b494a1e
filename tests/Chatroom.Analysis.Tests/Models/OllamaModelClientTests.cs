using System.Text.Json;
using Chatroom.Analysis.Models;
using Chatroom.Testing.FakeLlm;
using Microsoft.Extensions.AI;
using OllamaSharp.Models.Exceptions;

namespace Chatroom.Analysis.Tests.Models;

/// <summary>OllamaSharp's <c>OllamaApiClient</c> as the factory builds it (logging, OpenTelemetry) against the fake Ollama.</summary>
public sealed class OllamaModelClientTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private FakeOllamaServer _server = null!;
    private IChatClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeOllamaServer.StartAsync();
        _client = AnalysisModelClientFactory.Create(AnalysisModelConnection.Parse($"Endpoint={_server.Endpoint};Model=qwen2.5:0.5b"), _http);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task GetResponse_ReturnsTextAndUsage_FromANonStreamingChat()
    {
        _server.Enqueue(FakeLlmReply.Text("hello there", promptTokens: 12, completionTokens: 3));

        var response = await _client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], new ChatOptions { Temperature = 0 });

        Assert.Equal("hello there", response.Text);
        Assert.Equal(12, response.Usage?.InputTokenCount);
        Assert.Equal(3, response.Usage?.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        var request = Assert.Single(_server.Requests);
        Assert.False(request.GetProperty("stream").GetBoolean());
        Assert.Equal("qwen2.5:0.5b", request.GetProperty("model").GetString());
        Assert.Equal("user", request.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Equal(0, request.GetProperty("options").GetProperty("temperature").GetDouble());
    }

    [Fact]
    public async Task GetStreamingResponse_YieldsNdjsonChunks_AndUsageAtTheEnd()
    {
        _server.Enqueue(FakeLlmReply.Text("one two three four", promptTokens: 20, completionTokens: 4, chunks: 4));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in _client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "count")]))
        {
            updates.Add(update);
        }

        Assert.True(updates.Count >= 4);
        Assert.Equal("one two three four", string.Concat(updates.Select(u => u.Text)));
        var usage = updates.SelectMany(u => u.Contents).OfType<UsageContent>().Single();
        Assert.Equal(20, usage.Details.InputTokenCount);
        Assert.Equal(4, usage.Details.OutputTokenCount);
        Assert.True(_server.Requests[0].GetProperty("stream").GetBoolean());
    }

    [Fact]
    public async Task JsonSchemaResponseFormat_IsSentAsFormat()
    {
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"]}""");
        _server.Enqueue(FakeLlmReply.Json(new { ok = true }));

        var response = await _client.GetResponseAsync([new ChatMessage(ChatRole.User, "ok?")], new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema.RootElement, "answer") });

        Assert.Equal("""{"ok":true}""", response.Text);
        Assert.Equal("object", _server.Requests[0].GetProperty("format").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Tools_BecomeFunctionCalls()
    {
        _server.Enqueue(FakeLlmReply.ToolCall("get_weather", new { city = "Paris" }));
        var tool = AIFunctionFactory.CreateDeclaration("get_weather", "Weather for a city", JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}""").RootElement);

        var response = await _client.GetResponseAsync([new ChatMessage(ChatRole.User, "weather?")], new ChatOptions { Tools = [tool] });

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Paris", ((JsonElement)call.Arguments!["city"]!).GetString());
        Assert.Equal("get_weather", _server.Requests[0].GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
    }

    [Fact]
    public async Task ErrorStatus_ThrowsHttpRequestException()
    {
        _server.Enqueue(FakeLlmReply.Status(500, "model crashed"));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => _client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, error.StatusCode);
    }

    [Fact]
    public async Task AnErrorObjectInsideA200_ThrowsOllamaSharpsResponseError()
    {
        _server.Enqueue(FakeLlmReply.ErrorIn200("model runner has unexpectedly stopped"));

        var error = await Assert.ThrowsAsync<ResponseError>(() => _client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));
        Assert.Equal("model runner has unexpectedly stopped", error.Message);
    }

    [Fact]
    public async Task AnErrorLineAfterStreamedText_ThrowsOllamaSharpsResponseError_AfterTheTextBeforeIt()
    {
        _server.Enqueue(FakeLlmReply.ErrorIn200("model runner has unexpectedly stopped", before: "Half an ans"));
        var text = new System.Text.StringBuilder();

        var error = await Assert.ThrowsAsync<ResponseError>(async () =>
        {
            await foreach (var update in _client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")]))
            {
                text.Append(update.Text);
            }
        });
        Assert.Equal("model runner has unexpectedly stopped", error.Message);
        Assert.Equal("Half an ans", text.ToString());
    }

    [Fact]
    public async Task MalformedJson_ThrowsJsonException()
    {
        _server.Enqueue(FakeLlmReply.Malformed());

        await Assert.ThrowsAnyAsync<JsonException>(() => _client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));
    }

    [Fact]
    public async Task HungResponse_EndsWhenCancelled()
    {
        _server.Enqueue(FakeLlmReply.Hang());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], cancellationToken: cts.Token));
    }

    [Fact]
    public void Metadata_NamesProviderAndModel()
    {
        var metadata = _client.GetService<ChatClientMetadata>();
        Assert.Equal("ollama", metadata?.ProviderName);
        Assert.Equal("qwen2.5:0.5b", metadata?.DefaultModelId);
    }
}
