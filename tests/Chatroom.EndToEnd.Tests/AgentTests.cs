using System.Text.Json;
using System.Text.Json.Nodes;
using Chatroom.Testing.FakeLlm;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;
using Chatroom.Testing.SignalR;

namespace Chatroom.EndToEnd.Tests;

/// <summary>Agents with no model configured: commands, tools, knowledge and watches still work, and generation says it is off.</summary>
public sealed class AgentTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private StandaloneHost _host = null!;
    private string _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await StandaloneHost.StartAsync(_data.Path);
        _admin = await _host.Api.AdminTokenAsync(StandaloneHost.AdminPassword);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task TheAssistantSaysPlainlyThatGenerationIsOff()
    {
        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        await ana.InvokeAsync("SendMessage", "lobby", "@assistant what's the capital of France?", "q-1");

        var reply = await AgentReplyAsync(ana, "assistant");
        Assert.Contains("Text generation is not configured", reply.GetProperty("text").GetString());
        Assert.Equal("agent", reply.GetProperty("kind").GetString());
        Assert.Equal("agent:assistant", reply.GetProperty("authorId").GetString());
    }

    [Fact]
    public async Task TheConciergeReallyCreatesARoom_AndItAppearsAtOnceForPeopleInTheRoom()
    {
        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        await using var bo = await _host.Api.ConnectAsync("bo");
        await bo.InvokeAsync("JoinRoom", "lobby", null);
        await ana.InvokeAsync("SendMessage", "lobby", "@concierge create a room called book-club about novels", "c-1");

        var reply = await AgentReplyAsync(ana, "concierge");
        Assert.Equal("Created #book-club about novels — join it from the room list.", reply.GetProperty("text").GetString());
        var created = await bo.WaitForEventAsync("roomCreated", e => e.GetProperty("name").GetString() == "book-club", TimeSpan.FromSeconds(5));
        Assert.Equal("novels", created.GetProperty("topic").GetString());
        Assert.Equal("ana", created.GetProperty("requestedBy").GetString());
        var rooms = await _host.Api.SendAsync(HttpMethod.Get, "/api/rooms", _admin);
        var list = JsonNode.Parse(await rooms.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal("novels", list.Single(r => r!["name"]!.GetValue<string>() == "book-club")!["topic"]!.GetValue<string>());

        // "Book Club!" is the same room's name, forgivingly read: refused in plain words because it exists.
        await ana.InvokeAsync("SendMessage", "lobby", "@concierge make a room named Book Club!", "c-2");
        var refused = await AgentReplyAsync(ana, "concierge", after: reply.GetProperty("id").GetInt64());
        Assert.Equal("I couldn't create #book-club: there is already a room 'book-club'.", refused.GetProperty("text").GetString());
        Assert.DoesNotContain(JsonNode.Parse(await (await _host.Api.SendAsync(HttpMethod.Get, "/api/rooms", _admin)).Content.ReadAsStringAsync())!.AsArray(),
            r => r!["name"]!.GetValue<string>() is "called" or "book");
    }

    [Fact]
    public async Task TheConciergeUnderstandsPlainRequests_AndChatCreatesNothing()
    {
        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);

        await ana.InvokeAsync("SendMessage", "lobby", "@concierge hey, could you set up a channel called Board Games?", "p-1");
        var created = await AgentReplyAsync(ana, "concierge");
        Assert.Equal("Created #board-games — join it from the room list.", created.GetProperty("text").GetString());

        await ana.InvokeAsync("SendMessage", "lobby", "@concierge what rooms are there?", "p-2");
        var listed = await AgentReplyAsync(ana, "concierge", after: created.GetProperty("id").GetInt64());
        Assert.Contains("#board-games", listed.GetProperty("text").GetString());
        Assert.Contains("#lobby", listed.GetProperty("text").GetString());

        await ana.InvokeAsync("SendMessage", "lobby", "@concierge thanks, you're the best!", "p-3");
        var chat = await AgentReplyAsync(ana, "concierge", after: listed.GetProperty("id").GetInt64());
        Assert.StartsWith("Text generation is not configured on this server", chat.GetProperty("text").GetString());
        Assert.DoesNotContain("ConnectionStrings", chat.GetProperty("text").GetString());
        var rooms = JsonNode.Parse(await (await _host.Api.SendAsync(HttpMethod.Get, "/api/rooms", _admin)).Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(["board-games", "lobby"], rooms.Select(r => r!["name"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task AWatchedTopicIsReportedAcrossRoomsAlsoAfterARestart()
    {
        await _host.Api.CreateRoomAsync(_admin, "food");
        await using (var ana = await _host.Api.ConnectAsync("ana"))
        {
            await ana.InvokeAsync("JoinRoom", "lobby", null);
            await ana.InvokeAsync("SendMessage", "lobby", "@concierge watch pizza", "w-1");
            var confirmed = await AgentReplyAsync(ana, "concierge");
            Assert.Contains("watching other rooms for \"pizza\"", confirmed.GetProperty("text").GetString());

            await using var bo = await _host.Api.ConnectAsync("bo");
            await bo.InvokeAsync("JoinRoom", "food", null);
            await bo.InvokeAsync("SendMessage", "food", "who wants pizzas tonight?", "p-1");
            var notice = await AgentReplyAsync(ana, "concierge", after: confirmed.GetProperty("id").GetInt64());
            Assert.Contains("#food", notice.GetProperty("text").GetString());
            Assert.Contains("bo: who wants pizzas tonight?", notice.GetProperty("text").GetString());
        }

        await _host.DisposeAsync();
        _host = await StandaloneHost.StartAsync(_data.Path);
        await using var again = await _host.Api.ConnectAsync("ana");
        var joined = await again.InvokeAsync("JoinRoom", "lobby", null);
        var lastId = joined.GetProperty("history").EnumerateArray().Last().GetProperty("id").GetInt64();
        await using var cy = await _host.Api.ConnectAsync("cy");
        await cy.InvokeAsync("JoinRoom", "food", null);
        await cy.InvokeAsync("SendMessage", "food", "pizza is back on the menu", "p-2");
        var afterRestart = await AgentReplyAsync(again, "concierge", after: lastId);
        Assert.Contains("cy: pizza is back on the menu", afterRestart.GetProperty("text").GetString());
    }

    [Fact]
    public async Task KnowledgeSearchRanksTheRelevantPassageFirstAndTheAssistantQuotesIt()
    {
        await AddDocumentAsync("Password help", "# Accounts\n\n## Resetting a password\n\nTo reset your password open Settings, choose Security and press Reset password. A link arrives by email within five minutes.");
        await AddDocumentAsync("Office", "# Office\n\nThe office is open from nine to five. Lunch is served in the canteen on the second floor.");
        await AddDocumentAsync("Billing", "# Billing\n\nInvoices are sent on the first day of each month. Pay by card or bank transfer.");

        var guest = await _host.Api.GuestTokenAsync("reader");
        var hits = JsonNode.Parse(await (await _host.Api.SendAsync(HttpMethod.Get, "/api/knowledge/search?q=how%20do%20I%20reset%20my%20password&k=3", guest)).Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal("Password help", hits[0]!["title"]!.GetValue<string>());
        Assert.Contains("Accounts › Resetting a password", hits[0]!["text"]!.GetValue<string>());
        Assert.True(hits.Count == 1 || hits[0]!["score"]!.GetValue<double>() > hits[1]!["score"]!.GetValue<double>());

        var lunch = JsonNode.Parse(await (await _host.Api.SendAsync(HttpMethod.Get, "/api/knowledge/search?q=where%20is%20lunch%20served", guest)).Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal("Office", lunch[0]!["title"]!.GetValue<string>());

        await using var ana = await _host.Api.ConnectWithTokenAsync(guest);
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        await ana.InvokeAsync("SendMessage", "lobby", "@assistant how do I reset my password?", "k-1");
        var reply = await AgentReplyAsync(ana, "assistant");
        Assert.Contains("press Reset password", reply.GetProperty("text").GetString());

        using var refused = await _host.Api.SendAsync(HttpMethod.Post, "/api/knowledge", guest, new { title = "x", text = "y" });
        Assert.Equal((403, "forbidden"), await ChatApiClient.ProblemAsync(refused));
        using var empty = await _host.Api.SendAsync(HttpMethod.Post, "/api/knowledge", _admin, new { title = "x", text = " " });
        Assert.Equal((400, "invalid_request"), await ChatApiClient.ProblemAsync(empty));
    }

    [Fact]
    public async Task InvalidDefinitionsAreRefusedWithEveryProblemAndItsPath()
    {
        using var response = await _host.Api.SendAsync(HttpMethod.Post, "/api/agents", _admin, new
        {
            name = "Bad Name",
            model = "huge",
            tools = new[] { "create_room", "launch_rockets" },
            limits = new { maxTokens = 5, maxTurns = 2 },
            temperature = 3,
            colour = "blue",
        });
        Assert.Equal((400, "invalid_agent"), await ChatApiClient.ProblemAsync(response));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var paths = problem["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()).ToList();
        Assert.Equal(["/colour", "/name", "/model", "/tools/1", "/limits/maxTokens", "/temperature"], paths);

        var guest = await _host.Api.GuestTokenAsync("guest");
        using var forbidden = await _host.Api.SendAsync(HttpMethod.Post, "/api/agents", guest, new { name = "sneaky" });
        Assert.Equal((403, "forbidden"), await ChatApiClient.ProblemAsync(forbidden));
        var schema = await _host.Api.SendAsync(HttpMethod.Get, "/api/agents/schema", guest);
        Assert.Contains("\"additionalProperties\": false", await schema.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ANewAgentAnswersWithoutARestartAndStopsWhenDeleted()
    {
        using var created = await _host.Api.SendAsync(HttpMethod.Post, "/api/agents", _admin, new
        {
            name = "librarian",
            description = "Finds things",
            triggers = new { mention = true, keywords = new[] { "library hours" } },
            tools = new[] { "search_knowledge" },
        });
        Assert.Equal(201, (int)created.StatusCode);

        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        await ana.InvokeAsync("SendMessage", "lobby", "what are the library hours?", "l-1");
        var reply = await AgentReplyAsync(ana, "librarian");
        Assert.Contains("Text generation is not configured", reply.GetProperty("text").GetString());

        using var deleted = await _host.Api.SendAsync(HttpMethod.Delete, "/api/agents/librarian", _admin);
        Assert.Equal(204, (int)deleted.StatusCode);
        var marker = (await ana.InvokeAsync("SendMessage", "lobby", "library hours again?", "l-2")).GetProperty("id").GetInt64();
        await ana.InvokeAsync("SendMessage", "lobby", "@assistant ping", "l-3");
        var next = await AgentReplyAsync(ana, "assistant", after: marker);
        Assert.DoesNotContain(ana.EventsOf("message"), m => m.GetProperty("authorName").GetString() == "librarian" && m.GetProperty("id").GetInt64() > marker);
        Assert.True(next.GetProperty("id").GetInt64() > marker);
    }

    [Fact]
    public async Task AWatchMatchesByMeaningAcrossRooms_WithTheScoreInTheFeed_AndUnrelatedChatStaysQuiet()
    {
        using var feedRequest = new HttpRequestMessage(HttpMethod.Get, "/api/agents/concierge/events");
        feedRequest.Headers.Authorization = new("Bearer", _admin);
        using var feed = await _host.Api.Http.SendAsync(feedRequest, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await feed.Content.ReadAsStreamAsync());

        await _host.Api.CreateRoomAsync(_admin, "food");
        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);
        await ana.InvokeAsync("SendMessage", "lobby", "@concierge watch pizza in other rooms", "wm-1");
        var confirmed = await AgentReplyAsync(ana, "concierge");
        Assert.Contains("watching other rooms for \"pizza\"", confirmed.GetProperty("text").GetString());

        await using var bo = await _host.Api.ConnectAsync("bo");
        await bo.InvokeAsync("JoinRoom", "food", null);
        await bo.InvokeAsync("SendMessage", "food", "the build is broken again", "wm-2");
        await bo.InvokeAsync("SendMessage", "food", "who wants pepperoni tonight?", "wm-3");
        var notice = await AgentReplyAsync(ana, "concierge", after: confirmed.GetProperty("id").GetInt64());
        Assert.Contains("bo: who wants pepperoni tonight?", notice.GetProperty("text").GetString());
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(ana.EventsOf("message"), m => m.GetProperty("text").GetString()!.Contains("the build is broken", StringComparison.Ordinal));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        string? kind = null;
        while (true)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("the feed ended");
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                kind = line["event: ".Length..];
            }
            else if (kind == "watch" && line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var data = JsonDocument.Parse(line["data: ".Length..]).RootElement.GetProperty("data");
                Assert.Equal("meaning", data.GetProperty("match").GetString());
                Assert.Equal("pizza", data.GetProperty("topic").GetString());
                Assert.InRange(data.GetProperty("score").GetDouble(), 0.3, 1.0);
                break;
            }
        }
    }

    [Fact]
    public async Task IntentRoutingWorksWithoutAModel()
    {
        using var created = await _host.Api.SendAsync(HttpMethod.Post, "/api/agents", _admin, new
        {
            name = "librarian",
            triggers = new { mention = true, intent = "questions about the library: opening hours, loans, returns" },
        });
        Assert.Equal(201, (int)created.StatusCode);
        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);

        var unrelated = (await ana.InvokeAsync("SendMessage", "lobby", "anyone watching the game tonight?", "in-1")).GetProperty("id").GetInt64();
        var asked = (await ana.InvokeAsync("SendMessage", "lobby", "when does the library open on sundays?", "in-2")).GetProperty("id").GetInt64();

        var reply = await AgentReplyAsync(ana, "librarian", after: asked);
        Assert.Contains("Text generation is not configured", reply.GetProperty("text").GetString());
        Assert.Single(ana.EventsOf("message"), m => m.GetProperty("authorName").GetString() == "librarian" && m.GetProperty("id").GetInt64() > unrelated);
    }
    [Fact]
    public async Task ADirectAgentAnswersSomeoneAloneInARoom_ButNotAConversationBetweenPeople()
    {
        await _host.Api.CreateRoomAsync(_admin, "help-desk");
        using (var created = await _host.Api.SendAsync(HttpMethod.Post, "/api/agents", _admin, new
        {
            name = "desk",
            description = "Answers whoever is alone at the help desk",
            triggers = new { mention = true, direct = true },
            rooms = new[] { "help-desk" },
        }))
        {
            Assert.Equal(201, (int)created.StatusCode);
        }

        await using var ana = await _host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "help-desk", null);
        await ana.InvokeAsync("SendMessage", "help-desk", "is anyone there?", "d-1");
        var reply = await AgentReplyAsync(ana, "desk");

        await using var bo = await _host.Api.ConnectAsync("bo");
        await bo.InvokeAsync("JoinRoom", "help-desk", null);
        var between = (await ana.InvokeAsync("SendMessage", "help-desk", "oh hi bo", "d-2")).GetProperty("id").GetInt64();
        await ana.InvokeAsync("SendMessage", "help-desk", "@desk are you still there?", "d-3");
        var mentioned = await AgentReplyAsync(ana, "desk", after: between);
        Assert.DoesNotContain(ana.EventsOf("message"), m => m.GetProperty("authorName").GetString() == "desk"
            && m.GetProperty("id").GetInt64() > reply.GetProperty("id").GetInt64() && m.GetProperty("id").GetInt64() < mentioned.GetProperty("id").GetInt64());
    }

    private async Task AddDocumentAsync(string title, string text)
    {
        using var response = await _host.Api.SendAsync(HttpMethod.Post, "/api/knowledge", _admin, new { title, text });
        Assert.Equal(201, (int)response.StatusCode);
    }

    internal static Task<JsonElement> AgentReplyAsync(HubClient client, string agent, long after = 0) =>
        client.WaitForEventAsync("message", m => m.GetProperty("authorName").GetString() == agent && m.GetProperty("id").GetInt64() > after,
            TimeSpan.FromSeconds(15));
}
