using System.ClientModel;
using System.Text.Json;
using Chatroom.Analysis.Models;
using Chatroom.Testing.FakeLlm;
using Microsoft.Extensions.AI;

namespace Chatroom.Analysis.Tests.Models;

/// <summary>The OpenAI SDK client through Microsoft.Extensions.AI.OpenAI, as the factory builds it, against the fake OpenAI server.</summary>
public sealed class OpenAiModelClientTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private FakeOpenAiServer _server = null!;
    private IChatClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeOpenAiServer.StartAsync();
        _client = AnalysisModelClientFactory.Create(AnalysisModelConnection.Parse($"Endpoint={_server.ApiEndpoint};Model=gpt-small;Provider=openai;Key=test-key"), _http);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task GetResponse_ReturnsTextAndUsage()
    {
        _server.Enqueue(FakeLlmReply.Text("hello", promptTokens: 9, completionTokens: 2));

        var response = await _client.GetResponseAsync([new ChatMessage(ChatRole.System, "be brief"), new ChatMessage(ChatRole.User, "hi")]);

        Assert.Equal("hello", response.Text);
        Assert.Equal(9, response.Usage?.InputTokenCount);
        Assert.Equal(2, response.Usage?.OutputTokenCount);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("gpt-small", request.GetProperty("model").GetString());
        Assert.Equal("system", request.GetProperty("messages")[0].GetProperty("role").GetString());
    }

    [Fact]
    public async Task GetStreamingResponse_ReadsServerSentEvents_UntilDone()
    {
        _server.Enqueue(FakeLlmReply.Text("streamed answer here", promptTokens: 7, completionTokens: 3, chunks: 3));

        var text = new System.Text.StringBuilder();
        UsageDetails? usage = null;
        await foreach (var update in _client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "go")]))
        {
            text.Append(update.Text);
            usage ??= update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details;
        }

        Assert.Equal("streamed answer here", text.ToString());
        Assert.Equal(7, usage?.InputTokenCount);
        Assert.True(_server.Requests[0].GetProperty("stream").GetBoolean());
    }

    [Fact]
    public async Task JsonSchema_IsSentAsResponseFormat()
    {
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"],"additionalProperties":false}""");
        _server.Enqueue(FakeLlmReply.Json(new { ok = true }));

        var response = await _client.GetResponseAsync([new ChatMessage(ChatRole.User, "ok?")], new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema.RootElement, "answer") });

        Assert.Equal("""{"ok":true}""", response.Text);
        var format = _server.Requests[0].GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("answer", format.GetProperty("json_schema").GetProperty("name").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Tools_BecomeFunctionCalls(bool streaming)
    {
        _server.Enqueue(FakeLlmReply.ToolCall("lookup", new { id = 42 }));
        var tool = AIFunctionFactory.CreateDeclaration("lookup", "Find a thing", JsonDocument.Parse("""{"type":"object","properties":{"id":{"type":"integer"}}}""").RootElement);
        var options = new ChatOptions { Tools = [tool] };
        ChatMessage[] messages = [new ChatMessage(ChatRole.User, "find 42")];

        var contents = new List<AIContent>();
        if (streaming)
        {
            await foreach (var update in _client.GetStreamingResponseAsync(messages, options))
            {
                contents.AddRange(update.Contents);
            }
        }
        else
        {
            contents.AddRange((await _client.GetResponseAsync(messages, options)).Messages.SelectMany(m => m.Contents));
        }

        var call = Assert.Single(contents.OfType<FunctionCallContent>());
        Assert.Equal("lookup", call.Name);
        Assert.Equal(42, ((JsonElement)call.Arguments!["id"]!).GetInt32());
    }

    [Fact]
    public async Task ErrorStatus_Throws()
    {
        _server.Enqueue(FakeLlmReply.Status(503, "overloaded"));

        var error = await Assert.ThrowsAsync<ClientResultException>(() => _client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));
        Assert.Equal(503, error.Status);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task HungResponse_EndsWhenCancelled()
    {
        _server.Enqueue(FakeLlmReply.Hang());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], cancellationToken: cts.Token));
    }
}
