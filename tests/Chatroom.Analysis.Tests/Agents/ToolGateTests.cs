using System.Text.Json;
using Chatroom.Analysis.Agents;
using Chatroom.Analysis.Agents.Tools;
using Chatroom.Core.Agents;

namespace Chatroom.Analysis.Tests.Agents;

/// <summary>
/// The tools as models see them (names and argument names are what agent definitions and models already use) and the
/// refusals a bad call gets before any tool runs.
/// </summary>
public sealed class ToolGateTests
{
    // Refused calls never reach the stores, so none are needed.
    private readonly ToolGate _gate = new(new AgentToolbox(null!, null!, null!, null!, null!, null!, TimeProvider.System), new AgentFeed(null!, TimeProvider.System));

    private static readonly AgentDefinition Concierge = new() { Name = "concierge", Tools = [.. AgentTools.All] };

    [Theory]
    [InlineData(AgentTools.CreateRoom, "name,topic", "name")]
    [InlineData(AgentTools.ListRooms, "", "")]
    [InlineData(AgentTools.WatchTopic, "topic", "topic")]
    [InlineData(AgentTools.SummarizeRoom, "room,messages", "")]
    [InlineData(AgentTools.SearchKnowledge, "query,k", "query")]
    public void EachToolIsDeclaredWithItsArgumentsAndADescription(string tool, string arguments, string required)
    {
        var function = _gate.Tools[tool];
        Assert.False(string.IsNullOrWhiteSpace(function.Description));
        var schema = function.JsonSchema;
        var properties = schema.TryGetProperty("properties", out var p) ? p.EnumerateObject().Select(x => x.Name) : [];
        Assert.Equal(arguments, string.Join(',', properties));
        var needed = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()) : [];
        Assert.Equal(required, string.Join(',', needed));
    }

    [Fact]
    public void EveryToolAnAgentMayListExists() => Assert.Equal(AgentTools.All.Order(), _gate.Tools.Keys.Order());

    [Fact]
    public void AnAgentIsOfferedOnlyTheToolsItLists()
    {
        var assistant = new AgentDefinition { Name = "assistant", Tools = [AgentTools.SearchKnowledge, AgentTools.SummarizeRoom] };
        var offered = _gate.Functions(assistant, new ToolContext("lobby", "assistant", "ana")).Select(t => t.Name);
        Assert.Equal([AgentTools.SearchKnowledge, AgentTools.SummarizeRoom], offered);
    }

    [Theory]
    [InlineData(AgentTools.CreateRoom, """{"name":42}""", "error: 'name' must be a string")]
    [InlineData(AgentTools.CreateRoom, """{"topic":"books"}""", "error: 'name' is required")]
    [InlineData(AgentTools.CreateRoom, """{"name":""}""", "error: 'name' is required")]
    [InlineData(AgentTools.CreateRoom, """{"name":"books","colour":"red"}""", "error: create_room takes no argument 'colour'")]
    [InlineData(AgentTools.SearchKnowledge, """{"query":"parking","k":"three"}""", "error: 'k' must be a whole number")]
    [InlineData(AgentTools.SearchKnowledge, """{"query":"parking","k":2.5}""", "error: 'k' must be a whole number")]
    [InlineData(AgentTools.SearchKnowledge, """{"query":"parking","k":11}""", "error: query is 1-500 characters and k 1-10")]
    [InlineData(AgentTools.SummarizeRoom, """{"room":"nope!"}""", "error: there is no room 'nope!'")]
    [InlineData(AgentTools.WatchTopic, """{"topic":"x"}""", "error: a topic is 2-100 characters")]
    [InlineData(AgentTools.ListRooms, """{"all":true}""", "error: list_rooms takes no argument 'all'")]
    public async Task ABadCallIsRefusedInWordsBeforeTheToolRuns(string tool, string json, string refusal)
    {
        var arguments = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!.ToDictionary(a => a.Key, a => (object?)a.Value);
        var result = await _gate.InvokeAsync(Concierge, tool, arguments, new ToolContext("lobby", "concierge", "ana"), CancellationToken.None);
        Assert.Equal(refusal, result);
    }

    [Fact]
    public async Task AToolTheAgentDoesNotListIsRefused()
    {
        var assistant = new AgentDefinition { Name = "assistant", Tools = [AgentTools.SearchKnowledge] };
        var result = await _gate.InvokeAsync(assistant, AgentTools.CreateRoom, new Dictionary<string, object?> { ["name"] = "books" },
            new ToolContext("lobby", "assistant", "ana"), CancellationToken.None);
        Assert.Equal("error: the tool 'create_room' is not available to assistant", result);
    }
}
