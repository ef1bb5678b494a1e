using System.Diagnostics;
using System.Text.Json.Nodes;
using Chatroom.Testing.FakeLlm;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;
using Xunit.Abstractions;

namespace Chatroom.MultiNode.Tests;

/// <summary>
/// Discussions across two real analysis processes on one Redis, agents answering from a fake Ollama: the discussion
/// outlives the process running it, and a stop served by one process ends it on the other.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class MultiNodeDiscussionTests(MultiNodeFixture cluster, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public Task ADiscussionStartedOnOneAnalysisNodeIsFinishedByAnotherAfterTheFirstIsKilled() => cluster.RunAsync(output, async () =>
    {
        await using var ollama = await FakeOllamaServer.StartAsync();
        // Slow turns, so the first node dies in the middle of the discussion.
        ollama.Responder = request => FakeLlmReply.Text(
            request.GetProperty("messages")[0].GetProperty("content").GetString()!.Contains("You are @assistant") ? "Cats, clearly." : "Dogs, obviously.")
            .After(TimeSpan.FromSeconds(1));
        await WithTwoNodesAsync(ollama, async (nodeA, nodeB, admin, room) =>
        {
            await StartAsync(nodeA, admin, room, turns: 4);
            await WaitForMessagesAsync(room, admin, messages => AgentTurns(messages).Count >= 1);
            await nodeA.KillAsync();
            var turnsOnA = AgentTurns(await MessagesAsync(room, admin)).Count;

            var messages = await WaitForMessagesAsync(room, admin, messages => messages.Any(m => Text(m).Contains("is over", StringComparison.Ordinal)));
            Assert.InRange(turnsOnA, 1, 3);
            Assert.Contains(messages, m => Author(m) == "moderator" && Text(m).Contains("is over (4 turns)", StringComparison.Ordinal));
            Assert.Equal(["assistant", "concierge", "assistant", "concierge"], AgentTurns(messages).Select(Author));
            Assert.Equal(["Cats, clearly.", "Dogs, obviously.", "Cats, clearly.", "Dogs, obviously."], AgentTurns(messages).Select(Text));
            Assert.Contains($"Continuing the discussion in {room}", nodeB.Output, StringComparison.Ordinal);
        });
    });

    [Fact]
    public Task ADiscussionRunningOnOneAnalysisNodeIsStoppedByARequestServedByAnother() => cluster.RunAsync(output, async () =>
    {
        await using var ollama = await FakeOllamaServer.StartAsync();
        ollama.Responder = _ => FakeLlmReply.Text("Another point.").After(TimeSpan.FromMilliseconds(300));
        await WithTwoNodesAsync(ollama, async (nodeA, nodeB, admin, room) =>
        {
            await StartAsync(nodeA, admin, room, turns: 30);
            await WaitForMessagesAsync(room, admin, messages => AgentTurns(messages).Count >= 1);

            using var apiB = new ChatApiClient(nodeB.BaseAddress);
            using var stopped = await apiB.SendAsync(HttpMethod.Delete, $"/api/discussions/{room}", admin);
            Assert.Equal(204, (int)stopped.StatusCode);

            var messages = await WaitForMessagesAsync(room, admin, messages => messages.Any(m => Text(m).Contains("ended the discussion", StringComparison.Ordinal)));
            var endedId = messages.Single(m => Text(m).Contains("ended the discussion", StringComparison.Ordinal))["id"]!.GetValue<long>();
            // Node A learns of the stop at its next lease renewal (every second): a turn that finishes before that may
            // still land, but no turn starts after it. Turns take 0.3 s, so a running discussion would add several here.
            await Task.Delay(TimeSpan.FromSeconds(3));
            var settled = AgentTurns(await MessagesAsync(room, admin));
            Assert.InRange(settled.Count(m => m["id"]!.GetValue<long>() > endedId), 0, 1);
            await Task.Delay(TimeSpan.FromSeconds(2));
            var after = AgentTurns(await MessagesAsync(room, admin));
            Assert.Equal(settled.Count, after.Count);
            Assert.InRange(after.Count, 1, 29);
            using var apiA = new ChatApiClient(nodeA.BaseAddress);
            using var gone = await apiA.SendAsync(HttpMethod.Get, $"/api/discussions/{room}", admin);
            Assert.Equal(404, (int)gone.StatusCode);
        });
    });

    /// <summary>
    /// Runs the body with two analysis nodes that have a model, an admin token and a new room; the fixture's own analysis
    /// worker (no model) is stopped first so that only these two run discussions.
    /// </summary>
    private async Task WithTwoNodesAsync(FakeOllamaServer ollama, Func<ChildProcess, ChildProcess, string, string, Task> body)
    {
        await cluster.Analysis.KillAsync();
        var model = new KeyValuePair<string, string>("ConnectionStrings__reasoning-model", $"Endpoint={ollama.Endpoint};Model=fake-model");
        var started = await Task.WhenAll(cluster.StartAnalysisAsync("analysis-a-" + Guid.NewGuid().ToString("N")[..6], model),
            cluster.StartAnalysisAsync("analysis-b-" + Guid.NewGuid().ToString("N")[..6], model));
        await using var nodeA = started[0];
        await using var nodeB = started[1];
        try
        {
            var admin = await cluster.ApiClient.AdminTokenAsync(MultiNodeFixture.AdminPassword);
            await body(nodeA, nodeB, admin, await NewRoomAsync(admin));
        }
        catch
        {
            output.WriteLine(nodeA.Output);
            output.WriteLine(nodeB.Output);
            throw;
        }
    }

    private static async Task StartAsync(ChildProcess node, string admin, string room, int turns)
    {
        using var api = new ChatApiClient(node.BaseAddress);
        using var started = await api.SendAsync(HttpMethod.Post, "/api/discussions", admin,
            new { room, agents = new[] { "assistant", "concierge" }, topic = "cats or dogs?", turns });
        Assert.Equal(201, (int)started.StatusCode);
    }

    private async Task<List<JsonNode>> WaitForMessagesAsync(string room, string admin, Func<List<JsonNode>, bool> done)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var messages = await MessagesAsync(room, admin);
            if (done(messages))
            {
                return messages;
            }

            if (deadline.Elapsed > Timeout)
            {
                throw new TimeoutException($"#{room} did not reach the expected state within {Timeout}: {string.Join(" | ", messages.Select(m => $"{Author(m)}: {Text(m)}"))}");
            }

            await Task.Delay(250);
        }
    }

    private async Task<List<JsonNode>> MessagesAsync(string room, string admin) =>
        [.. (await cluster.ApiClient.GetJsonAsync($"/api/rooms/{room}/messages?limit=100", admin))["messages"]!.AsArray().Select(m => m!)];

    private static List<JsonNode> AgentTurns(List<JsonNode> messages) =>
        [.. messages.Where(m => m["kind"]!.GetValue<string>() == "agent" && Author(m) != "moderator").OrderBy(m => m["id"]!.GetValue<long>())];

    private static string Author(JsonNode message) => message["authorName"]!.GetValue<string>();

    private static string Text(JsonNode message) => message["text"]!.GetValue<string>();

    private async Task<string> NewRoomAsync(string adminToken)
    {
        var room = "mn-" + Guid.NewGuid().ToString("N")[..12];
        await cluster.ApiClient.CreateRoomAsync(adminToken, room);
        return room;
    }
}
