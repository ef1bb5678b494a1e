using System.Text.Json;
using Chatroom.Analysis.Models;
using Chatroom.Testing.FakeLlm;
using Microsoft.Extensions.AI;

namespace Chatroom.Analysis.Tests.Models;

/// <summary>The tool loop is Microsoft.Extensions.AI's function invocation over OllamaSharp: results go back to the model, and a looping model stops at the turn limit.</summary>
public sealed class ToolLoopTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private FakeOllamaServer _server = null!;
    private IChatClient _model = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeOllamaServer.StartAsync();
        _model = AnalysisModelClientFactory.Create(AnalysisModelConnection.Parse($"Endpoint={_server.Endpoint};Model=fake"), _http);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task AToolResultGoesBackToTheModel_AndItsAnswerEndsTheLoop()
    {
        var calls = 0;
        var tool = AIFunctionFactory.Create((string city) => { calls++; return $"sunny in {city}"; }, "weather", "Weather for a city");
        _server.Enqueue(FakeLlmReply.ToolCall("weather", new { city = "Paris" }), FakeLlmReply.Text("It is sunny in Paris."));

        var client = AnalysisModelClientFactory.ForTools(_model, maxTurns: 4);
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "weather in Paris?")], new ChatOptions { Tools = [tool] });

        Assert.Equal("It is sunny in Paris.", response.Text);
        Assert.Equal(1, calls);
        var toolMessage = _server.Requests[1].GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("role").GetString() == "tool");
        Assert.Equal("sunny in Paris", JsonDocument.Parse(toolMessage.GetProperty("content").GetString()!).RootElement.GetProperty("Result").GetString());
    }

    [Fact]
    public async Task AModelThatLoopsOnToolsStopsAtTheTurnLimit_WithoutToolsAfterTheLastRound()
    {
        var calls = 0;
        var tool = AIFunctionFactory.Create(() => { calls++; return "again"; }, "poke", "Pokes");
        _server.Responder = _ => FakeLlmReply.ToolCall("poke", new { });

        var client = AnalysisModelClientFactory.ForTools(_model, maxTurns: 3);
        await foreach (var _ in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "poke forever")], new ChatOptions { Tools = [tool] }))
        {
        }

        // maxTurns is the number of tool rounds; the round trip after the last one offers no tools, so the model must answer in words.
        Assert.Equal(4, _server.Requests.Count);
        Assert.Equal(3, calls);
        Assert.True(_server.Requests[2].TryGetProperty("tools", out _));
        Assert.False(_server.Requests[3].TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0);
    }
}
