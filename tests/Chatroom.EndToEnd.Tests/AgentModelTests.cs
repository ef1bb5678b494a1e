using System.Text.Json;
using System.Text.Json.Nodes;
using Chatroom.Testing.FakeLlm;
using Chatroom.Testing.Hosting;

namespace Chatroom.EndToEnd.Tests;

/// <summary>Agents backed by a model (a protocol-faithful fake Ollama on loopback): streaming, tool calls, limits.</summary>
public sealed class AgentModelTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private FakeOllamaServer _ollama = null!;
    private StandaloneHost _host = null!;
    private string _admin = null!;

    public async Task InitializeAsync()
    {
        _ollama = await FakeOllamaServer.StartAsync();
        _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["ConnectionStrings:reasoning-model"] = $"Endpoint={_ollama.Endpoint};Model=fake-model",
        });
        _admin = await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _ollama.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task AMentionStreamsDeltasThenStoresTheWholeReply()
    {
        _ollama.Enqueue(FakeLlmReply.Text("Paris is the capital of France, and it has been for centuries.", chunks: 5));
        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        await ana.InvokeAsync("SendMessage", "lobby", "@assistant what is the capital of France?", "m-1");

        var reply = await AgentTests.AgentReplyAsync(ana, "assistant");
        Assert.Equal("Paris is the capital of France, and it has been for centuries.", reply.GetProperty("text").GetString());
        var runId = reply.GetProperty("clientMessageId").GetString()!["agent-".Length..];
        var deltas = ana.EventsOf("agentDelta").Where(d => d.GetProperty("runId").GetString() == runId).ToList();
        Assert.NotEmpty(deltas);
        Assert.Equal(reply.GetProperty("text").GetString(), string.Concat(deltas.Select(d => d.GetProperty("delta").GetString())));
        Assert.True(ana.Events.ToList().FindIndex(e => e.Target == "agentDelta") < ana.Events.ToList().FindIndex(e => e.Target == "message" && e.Argument.GetProperty("authorName").GetString() == "assistant"));

        var request = _ollama.Requests.Single();
        var messages = request.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        Assert.Contains("@assistant in the chat room #lobby", messages[0].GetProperty("content").GetString());
        Assert.Contains(messages, m => m.GetProperty("content").GetString() == "ana: @assistant what is the capital of France?");
        Assert.Contains(request.GetProperty("tools").EnumerateArray(), t => t.GetProperty("function").GetProperty("name").GetString() == "search_knowledge");
    }

    [Fact]
    public async Task AnAgentRunIsTracedAsAnInvokeAgentSpanAroundItsModelCall()
    {
        var stopped = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name is Chatroom.ServiceDefaults.Telemetry.ChatTelemetryExtensions.AgentTelemetryName
                or Chatroom.ServiceDefaults.Telemetry.ChatTelemetryExtensions.GenAiTelemetryName,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        _ollama.Enqueue(FakeLlmReply.Text("Traced.", promptTokens: 21, completionTokens: 2));
        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        await ana.InvokeAsync("SendMessage", "lobby", "@assistant are you traced?", "tr-1");
        await AgentTests.AgentReplyAsync(ana, "assistant");

        // The model call to this test's fake server, and the agent span it sits in.
        var port = _ollama.Endpoint.Port;
        var chat = Assert.Single(stopped, a => a.Source.Name == Chatroom.ServiceDefaults.Telemetry.ChatTelemetryExtensions.GenAiTelemetryName &&
                                               Equals(a.GetTagItem("server.port"), port));
        var run = Assert.Single(stopped, a => a.Source.Name == Chatroom.ServiceDefaults.Telemetry.ChatTelemetryExtensions.AgentTelemetryName &&
                                              a.SpanId == chat.ParentSpanId);
        Assert.Equal("invoke_agent", run.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("assistant", run.GetTagItem("gen_ai.agent.name"));
        Assert.Equal(21, Convert.ToInt32(run.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AToolCallRunsTheToolAndTheModelSeesItsResult()
    {
        _ollama.Enqueue(
            FakeLlmReply.ToolCall("create_room", new { name = "from-the-model", topic = "made by a tool call" }),
            FakeLlmReply.Text("I created #from-the-model for you."));
        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        await ana.InvokeAsync("SendMessage", "lobby", "@concierge could you set up a room for the model?", "t-1");

        var reply = await AgentTests.AgentReplyAsync(ana, "concierge");
        Assert.Equal("I created #from-the-model for you.", reply.GetProperty("text").GetString());
        var rooms = await (await _host.Api.SendAsync(HttpMethod.Get, "/api/rooms", _admin)).Content.ReadAsStringAsync();
        Assert.Contains("\"from-the-model\"", rooms);
        var second = _ollama.Requests[1].GetProperty("messages").EnumerateArray().ToList();
        Assert.Contains(second, m => m.GetProperty("role").GetString() == "tool" && ToolResult(m) == "created room #from-the-model");
    }

    [Fact]
    public async Task ToolArgumentsAreCheckedBeforeAnythingRuns()
    {
        _ollama.Enqueue(FakeLlmReply.ToolCall("create_room", new { name = 42 }), FakeLlmReply.Text("Sorry, that failed."));
        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        await ana.InvokeAsync("SendMessage", "lobby", "@concierge make room 42", "t-2");

        await AgentTests.AgentReplyAsync(ana, "concierge");
        var toolResult = _ollama.Requests[1].GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("role").GetString() == "tool");
        Assert.Equal("error: 'name' must be a string", ToolResult(toolResult));
        var rooms = JsonNode.Parse(await (await _host.Api.SendAsync(HttpMethod.Get, "/api/rooms", _admin)).Content.ReadAsStringAsync())!.AsArray();
        Assert.Single(rooms);
    }

    [Fact]
    public async Task AgentsMentioningEachOtherStopAtTheTurnLimit()
    {
        foreach (var (name, other) in new[] { ("ping", "pong"), ("pong", "ping") })
        {
            using var created = await _host.Api.SendAsync(HttpMethod.Post, "/api/agents", _admin, new
            {
                name,
                persona = $"You are {name}.",
                limits = new { maxTurns = 2 },
            });
            Assert.Equal(201, (int)created.StatusCode);
        }

        _ollama.Responder = request =>
        {
            var system = request.GetProperty("messages")[0].GetProperty("content").GetString()!;
            return FakeLlmReply.Text(system.Contains("You are ping.") ? "@pong your turn" : "@ping your turn");
        };
        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        var start = (await ana.InvokeAsync("SendMessage", "lobby", "@ping start the game", "g-1")).GetProperty("id").GetInt64();

        await AgentTests.AgentReplyAsync(ana, "pong", after: start);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var agentMessages = ana.EventsOf("message").Where(m => m.GetProperty("kind").GetString() == "agent").ToList();
        Assert.Equal(["ping", "pong"], agentMessages.Select(m => m.GetProperty("authorName").GetString()));
    }

    [Fact]
    public async Task AnAgentOverItsRateDoesNotReply()
    {
        using var created = await _host.Api.SendAsync(HttpMethod.Post, "/api/agents", _admin, new { name = "chatty", limits = new { repliesPerMinute = 1 } });
        Assert.Equal(201, (int)created.StatusCode);
        _ollama.DefaultReply = FakeLlmReply.Text("hello!");
        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);

        await ana.InvokeAsync("SendMessage", "lobby", "@chatty one", "r-1");
        await AgentTests.AgentReplyAsync(ana, "chatty");
        await ana.InvokeAsync("SendMessage", "lobby", "@chatty two", "r-2");
        await ana.InvokeAsync("SendMessage", "lobby", "@assistant are you there?", "r-3");
        await AgentTests.AgentReplyAsync(ana, "assistant");
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Single(ana.EventsOf("message"), m => m.GetProperty("authorName").GetString() == "chatty");
    }

    [Fact]
    public async Task AFailingModelGetsAnHonestReplyInsteadOfSilence()
    {
        _ollama.Enqueue(FakeLlmReply.Status(500, "model crashed"));
        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        await ana.InvokeAsync("SendMessage", "lobby", "@assistant hello?", "f-1");

        var reply = await AgentTests.AgentReplyAsync(ana, "assistant");
        Assert.StartsWith("I couldn't answer just now", reply.GetProperty("text").GetString());
    }

    [Fact]
    public async Task AModelThatFailsMidReplyGetsAnHonestReplyNotHalfAnAnswer()
    {
        // Ollama streams part of the answer, then its error object, still under status 200.
        _ollama.Enqueue(FakeLlmReply.ErrorIn200("model runner has unexpectedly stopped", before: "The capital of France is"));
        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        await ana.InvokeAsync("SendMessage", "lobby", "@assistant what is the capital of France?", "f-2");

        var reply = await AgentTests.AgentReplyAsync(ana, "assistant");
        Assert.StartsWith("I couldn't answer just now", reply.GetProperty("text").GetString());
    }

    [Fact]
    public async Task TheLiveFeedShowsTheTriggerToolCallsTokensAndTheReply()
    {
        using var feedRequest = new HttpRequestMessage(HttpMethod.Get, "/api/agents/concierge/events");
        feedRequest.Headers.Authorization = new("Bearer", _admin);
        using var feed = await _host.Api.Http.SendAsync(feedRequest, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", feed.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await feed.Content.ReadAsStreamAsync());
        Assert.Equal("event: connected", await reader.ReadLineAsync());
        Assert.StartsWith("data: ", await reader.ReadLineAsync());

        _ollama.Enqueue(FakeLlmReply.ToolCall("list_rooms", new { }, promptTokens: 120, completionTokens: 8), FakeLlmReply.Text("There is #lobby.", promptTokens: 150, completionTokens: 6));
        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        await ana.InvokeAsync("SendMessage", "lobby", "@concierge which rooms are there?", "e-1");

        var events = new List<(string Kind, JsonElement Data)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        string? kind = null;
        while (events.LastOrDefault().Kind != "reply")
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("the feed ended");
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                kind = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((kind!, JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone()));
            }
        }

        Assert.Equal(["trigger", "prompt", "tokens", "tool", "tokens", "reply"], events.Select(e => e.Kind));
        Assert.Equal("mention", events[0].Data.GetProperty("data").GetProperty("trigger").GetString());
        var tool = events[3].Data.GetProperty("data");
        Assert.Equal("list_rooms", tool.GetProperty("name").GetString());
        Assert.Equal("#lobby — Say hello", tool.GetProperty("result").GetString());
        Assert.Equal(120, events[2].Data.GetProperty("data").GetProperty("promptTokens").GetInt64());
        Assert.True(events[5].Data.GetProperty("data").GetProperty("latencyMs").GetInt32() >= 0);
    }

    [Fact]
    public async Task ADiscussionGivesEachAgentTheFloorInTurnUpToTheLimit()
    {
        _ollama.Responder = request => FakeLlmReply.Text(
            request.GetProperty("messages")[0].GetProperty("content").GetString()!.Contains("You are @assistant") ? "Cats, clearly." : "Dogs, obviously.");
        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        await ana.InvokeAsync("SendMessage", "lobby", "/discuss assistant, concierge 4 cats or dogs?", "d-1");

        await ana.WaitForEventAsync("message", m => m.GetProperty("authorName").GetString() == "moderator" && m.GetProperty("text").GetString()!.Contains("is over"),
            TimeSpan.FromSeconds(20));
        var turns = ana.EventsOf("message").Where(m => m.GetProperty("kind").GetString() == "agent" && m.GetProperty("authorName").GetString() != "moderator").ToList();
        Assert.Equal(["assistant", "concierge", "assistant", "concierge"], turns.Select(m => m.GetProperty("authorName").GetString()));
        Assert.Equal(["Cats, clearly.", "Dogs, obviously.", "Cats, clearly.", "Dogs, obviously."], turns.Select(m => m.GetProperty("text").GetString()));
        Assert.All(_ollama.Requests, r => Assert.Contains("moderated discussion on \"cats or dogs?\"", r.GetProperty("messages")[0].GetProperty("content").GetString()));
    }

    [Fact]
    public async Task AnyoneCanStopADiscussion()
    {
        _ollama.Responder = _ => FakeLlmReply.Text("Another point.").After(TimeSpan.FromMilliseconds(300));
        await using var ana = await _host.Api.ConnectAsync("ana");
        await using var bo = await _host.Api.ConnectAsync("bo");
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        await bo.InvokeAsync("JoinRoom", "lobby", null);
        await ana.InvokeAsync("SendMessage", "lobby", "/discuss assistant, concierge 30 tabs or spaces", "d-2");
        await AgentTests.AgentReplyAsync(ana, "assistant");

        await bo.InvokeAsync("SendMessage", "lobby", "/stop", "d-3");
        var ended = await ana.WaitForEventAsync("message", m => m.GetProperty("text").GetString()!.StartsWith("bo ended the discussion", StringComparison.Ordinal));
        var endedId = ended.GetProperty("id").GetInt64();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.DoesNotContain(ana.EventsOf("message"), m => m.GetProperty("id").GetInt64() > endedId && m.GetProperty("kind").GetString() == "agent");
        using var none = await _host.Api.SendAsync(HttpMethod.Get, "/api/discussions/lobby", _admin);
        Assert.Equal(404, (int)none.StatusCode);
    }

    [Fact]
    public async Task ADiscussionSurvivesARestartOfTheProcessRunningIt()
    {
        // Slow turns, so the process stops in the middle of the discussion.
        _ollama.Responder = request => FakeLlmReply.Text(
            request.GetProperty("messages")[0].GetProperty("content").GetString()!.Contains("You are @assistant") ? "Cats, clearly." : "Dogs, obviously.")
            .After(TimeSpan.FromSeconds(1));
        int turnsBeforeRestart;
        await using (var ana = await _host.Api.ConnectAsync("ana"))
        {
            await ana.InvokeAsync("JoinRoom", "lobby", null);
            await ana.InvokeAsync("SendMessage", "lobby", "/discuss assistant, concierge 4 cats or dogs?", "dr-1");
            await AgentTests.AgentReplyAsync(ana, "assistant");
            await _host.DisposeAsync();
            turnsBeforeRestart = ana.EventsOf("message").Count(m => m.GetProperty("kind").GetString() == "agent" && m.GetProperty("authorName").GetString() != "moderator");
        }

        _host = await StandaloneHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["ConnectionStrings:reasoning-model"] = $"Endpoint={_ollama.Endpoint};Model=fake-model",
        });
        var deadline = DateTime.UtcNow.AddSeconds(40);
        List<JsonNode> messages;
        do
        {
            await Task.Delay(500);
            var page = await _host.Api.GetJsonAsync("/api/rooms/lobby/messages?limit=50", _admin);
            messages = [.. page["messages"]!.AsArray().Select(m => m!)];
        }
        while (!messages.Any(m => m["text"]!.GetValue<string>().Contains("is over", StringComparison.Ordinal)) && DateTime.UtcNow < deadline);

        Assert.InRange(turnsBeforeRestart, 1, 3);
        Assert.Contains(messages, m => m["authorName"]!.GetValue<string>() == "moderator" && m["text"]!.GetValue<string>().Contains("is over (4 turns)", StringComparison.Ordinal));
        var turns = messages.Where(m => m["kind"]!.GetValue<string>() == "agent" && m["authorName"]!.GetValue<string>() != "moderator")
            .Select(m => m["authorName"]!.GetValue<string>()).ToList();
        Assert.Equal(["assistant", "concierge", "assistant", "concierge"], turns);
    }

    [Fact]
    public async Task ADiscussionStoppedFromAnotherNodeStopsHere()
    {
        _ollama.Responder = _ => FakeLlmReply.Text("Another point.").After(TimeSpan.FromMilliseconds(300));
        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        await ana.InvokeAsync("SendMessage", "lobby", "/discuss assistant, concierge 30 tabs or spaces", "dn-1");
        await AgentTests.AgentReplyAsync(ana, "assistant");

        // Another analysis node shares the store (here: the same SQLite file) and stops the discussion there.
        await using (var database = Chatroom.Embedded.ChatDatabase.Open(Path.Combine(_data.Path, "chatroom.db"), "NORMAL"))
        {
            var removed = await new Chatroom.Embedded.Agents.SqliteDiscussionStore(database).RemoveAsync("lobby", CancellationToken.None);
            Assert.NotNull(removed);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        var settled = ana.EventsOf("message").Count(m => m.GetProperty("kind").GetString() == "agent");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(settled, ana.EventsOf("message").Count(m => m.GetProperty("kind").GetString() == "agent"));
        using var none = await _host.Api.SendAsync(HttpMethod.Get, "/api/discussions/lobby", _admin);
        Assert.Equal(404, (int)none.StatusCode);
    }

    [Theory]
    [InlineData(0.9, true)]
    [InlineData(0.3, false)]
    public async Task TheAnalysisModelRoutesByIntentAboveTheThreshold(double confidence, bool answers)
    {
        using var created = await _host.Api.SendAsync(HttpMethod.Post, "/api/agents", _admin, new
        {
            name = "librarian",
            triggers = new { mention = true, intent = "questions about the library: opening hours, loans, returns" },
        });
        Assert.Equal(201, (int)created.StatusCode);
        _ollama.Responder = request =>
            request.TryGetProperty("format", out _) && request.GetProperty("messages")[0].GetProperty("content").GetString()!.Contains("You route chat messages")
                ? FakeLlmReply.Json(new { agent = "librarian", confidence })
                : FakeLlmReply.Text("The library opens at nine.");
        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);

        var asked = (await ana.InvokeAsync("SendMessage", "lobby", "when does the library open on sundays?", "i-1")).GetProperty("id").GetInt64();
        if (answers)
        {
            var reply = await AgentTests.AgentReplyAsync(ana, "librarian", after: asked);
            Assert.Equal("The library opens at nine.", reply.GetProperty("text").GetString());
        }
        else
        {
            await ana.InvokeAsync("SendMessage", "lobby", "@assistant ping", "i-2");
            await AgentTests.AgentReplyAsync(ana, "assistant", after: asked);
            Assert.DoesNotContain(ana.EventsOf("message"), m => m.GetProperty("authorName").GetString() == "librarian");
        }

        var routing = _ollama.Requests.First(r => r.TryGetProperty("format", out _));
        Assert.Contains("- librarian: questions about the library", routing.GetProperty("messages")[0].GetProperty("content").GetString());
    }

    [Fact]
    public async Task TokensSpentReachTheAdminTimeSeries()
    {
        _ollama.Enqueue(FakeLlmReply.Text("Hello there.", promptTokens: 300, completionTokens: 20));
        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        await ana.InvokeAsync("SendMessage", "lobby", "@assistant hi", "tk-1");
        await AgentTests.AgentReplyAsync(ana, "assistant");

        var deadline = DateTime.UtcNow.AddSeconds(15);
        long tokens;
        do
        {
            await Task.Delay(500);
            var series = await _host.Api.GetJsonAsync("/api/admin/timeseries?minutes=5", _admin);
            tokens = series["points"]!.AsArray().Sum(p => p!["llmTokens"]!.GetValue<long>());
        }
        while (tokens < 320 && DateTime.UtcNow < deadline);

        Assert.Equal(320, tokens);
    }

    /// <summary>The tool result in a <c>tool</c> message as OllamaSharp sends it: <c>{"CallId":…,"Result":…}</c>.</summary>
    private static string? ToolResult(JsonElement message) =>
        JsonDocument.Parse(message.GetProperty("content").GetString()!).RootElement.GetProperty("Result").GetString();
}
