using System.Diagnostics;
using System.Text.Json;
using Chatroom.Core.Messages;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Chatroom.EndToEnd.Tests.Integrations;

/// <summary>
/// The MCP <c>search</c> tool on the standalone host, which composes the local sentence model: it ranks by meaning, a
/// message holding every word still ranks, and what the caller may not read never appears.
/// </summary>
public sealed class McpMeaningSearchTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private const string Target = "the computer does not boot after the update";

    private static readonly string[] Unrelated =
    [
        "lunch at noon?",
        "The release train leaves Friday",
        "great goal in the match last night",
        "who is bringing the cake for Maria's birthday",
        "the parking lot is closed on Monday",
    ];

    private McpTestHost _mcpHost = null!;
    private StandaloneHost _host = null!;
    private string _admin = null!;

    public async Task InitializeAsync()
    {
        // The longest embedding timeout: a cold 1,000-message search takes 5-10 s on a loaded 2-core machine, and these
        // tests are about ranking, not about the fall-back.
        _mcpHost = await McpTestHost.StartAsync(new Dictionary<string, string?> { ["Chatroom:Mcp:Search:Timeout"] = "00:02:00" });
        (_host, _admin) = (_mcpHost.Host, _mcpHost.AdminToken);
    }

    public async Task DisposeAsync() => await _mcpHost.DisposeAsync();

    [Fact]
    public async Task AQuerySharingNoWordFindsTheMessageItMeans_AndAnExactCodeStillRanksFirst()
    {
        await _host.Api.CreateRoomAsync(_admin, "helpdesk");
        await SeedAsync("helpdesk", [.. Unrelated, Target, "ticket QX-4471 was closed yesterday", "the printer on floor two needs paper"]);
        await using var mcp = await McpConnections.ConnectAsync(_host.Address, await _host.Api.GuestTokenAsync("seeker"));

        var found = (await mcp.CallAsync("search", new { query = "my laptop will not turn on", room = "helpdesk" })).Structured();

        Assert.Equal("meaning", found.GetProperty("method").GetString());
        var results = found.GetProperty("results").EnumerateArray().ToList();
        Assert.NotEmpty(results);
        Assert.Equal(Target, results[0].GetProperty("text").GetString());
        Assert.All(results.Skip(1), r => Assert.True(r.GetProperty("score").GetDouble() < results[0].GetProperty("score").GetDouble()));
        Assert.DoesNotContain(results, r => Unrelated.Contains(r.GetProperty("text").GetString()));
        var fetched = (await mcp.CallAsync("fetch", new { id = results[0].GetProperty("id").GetString() })).Structured();
        Assert.Equal(Target, fetched.GetProperty("message").GetProperty("text").GetString());

        var code = (await mcp.CallAsync("search", new { query = "QX-4471", room = "helpdesk", limit = 3 })).Structured();
        Assert.Equal("ticket QX-4471 was closed yesterday", code.GetProperty("results")[0].GetProperty("text").GetString());

        // Asked again (the candidates' vectors now cached), the answer is the same.
        var again = (await mcp.CallAsync("search", new { query = "my laptop will not turn on", room = "helpdesk" })).Structured();
        Assert.Equal(Texts(found), Texts(again));
    }

    [Fact]
    public async Task AnotherUsersPrivateRoomNeverAppears_NorABannedRoom()
    {
        var (_, anaToken) = await _host.Api.RegisterAccountAsync(NewName("ana"), Password);
        var (eveId, eveToken) = await _host.Api.RegisterAccountAsync(NewName("eve"), Password);
        using (var created = await _host.Api.SendAsync(HttpMethod.Post, "/api/rooms", anaToken, new { name = "ana-private", visibility = "private" }))
        {
            Assert.Equal(201, (int)created.StatusCode);
        }

        await _host.Api.CreateRoomAsync(_admin, "eve-banned");
        await SeedAsync("ana-private", [Target]);
        await SeedAsync("eve-banned", ["my pc won't start since the patch"]);
        await _host.Services.GetRequiredService<Chatroom.Core.Rooms.IRoomStore>().BanAsync("eve-banned", eveId, null, CancellationToken.None);

        await using var eve = await McpConnections.ConnectAsync(_host.Address, eveToken);
        var eveFound = (await eve.CallAsync("search", new { query = "my laptop will not turn on" })).Structured();
        Assert.Equal("meaning", eveFound.GetProperty("method").GetString());
        Assert.DoesNotContain(eveFound.GetProperty("results").EnumerateArray(), r => r.GetProperty("room").GetString() is "ana-private" or "eve-banned");
        Assert.StartsWith("unknown_room", (await eve.CallAsync("search", new { query = "laptop", room = "ana-private" })).Refusal());

        await using var ana = await McpConnections.ConnectAsync(_host.Address, anaToken);
        var anaFound = (await ana.CallAsync("search", new { query = "my laptop will not turn on" })).Structured();
        Assert.Contains(anaFound.GetProperty("results").EnumerateArray(), r => r.GetProperty("room").GetString() == "ana-private");
    }

    [Fact]
    public async Task MalformedAndHugeArgumentsAreRefusedAsBefore()
    {
        await using var mcp = await McpConnections.ConnectAsync(_host.Address, await _host.Api.GuestTokenAsync("fuzzer"));

        Assert.StartsWith("invalid_request:", (await mcp.CallAsync("search", new { query = "   " })).Refusal());
        Assert.StartsWith("invalid_request:", (await mcp.CallAsync("search", new { query = new string('x', 201) })).Refusal());
        Assert.StartsWith("invalid_request:", (await mcp.CallAsync("search", new { query = "laptop", limit = 1000 })).Refusal());
        Assert.StartsWith("invalid_request:", (await mcp.CallAsync("search", new { query = "laptop", limit = 0 })).Refusal());
        Assert.StartsWith("unknown_room:", (await mcp.CallAsync("search", new { query = "laptop", room = "no-such-room" })).Refusal());
        Assert.True((await mcp.CallAsync("search", new { query = 42 })).IsError);
    }

    [Fact]
    public async Task WithoutMeaningTheWordSearchAnswers()
    {
        await using var words = await McpTestHost.StartWordSearchAsync();
        await words.Host.Api.CreateRoomAsync(words.AdminToken, "words");
        await SeedAsync(words.Host, "words", [Target, "the update broke the build"]);
        await using var mcp = await McpConnections.ConnectAsync(words.Host.Address, await words.Host.Api.GuestTokenAsync("worder"));

        var byMeaning = (await mcp.CallAsync("search", new { query = "my laptop will not turn on", room = "words" })).Structured();
        var byWords = (await mcp.CallAsync("search", new { query = "UPDATE", room = "words" })).Structured();

        Assert.Equal("text", byMeaning.GetProperty("method").GetString());
        Assert.Empty(byMeaning.GetProperty("results").EnumerateArray());
        Assert.Equal(["the update broke the build", Target], Texts(byWords));
        Assert.All(byWords.GetProperty("results").EnumerateArray(), r => Assert.Equal(JsonValueKind.Null, r.GetProperty("score").ValueKind));
    }

    /// <summary>
    /// Latency of a search over a 1,000-message room, cold (every message embedded) then warm (only the query), written
    /// to the test output for docs/benchmarks.md; the assertion is only that the answer is right each time.
    /// </summary>
    [Fact]
    public async Task SearchOverAThousandMessages_ColdAndWarm()
    {
        await _host.Api.CreateRoomAsync(_admin, "busy");
        var subjects = new[] { "the build", "lunch", "the quarterly report", "my bike", "the coffee machine", "the wifi", "our release", "the weather", "the new hire", "the demo" };
        var predicates = new[] { "is late again", "looks great", "needs a review", "was moved to Tuesday", "is broken", "made everyone laugh", "costs too much", "is finally done", "needs more tests", "got cancelled" };
        var texts = new List<string>();
        for (var i = 0; texts.Count < 999; i++)
        {
            texts.Add($"{subjects[i % subjects.Length]} {predicates[i / subjects.Length % predicates.Length]} #{i}");
        }

        texts.Insert(500, Target);
        await SeedAsync("busy", texts);
        await using var mcp = await McpConnections.ConnectAsync(_host.Address, await _host.Api.GuestTokenAsync("bencher"));
        // The local model loads on first use; load it on another room so the cold run measures embedding, not loading.
        (await mcp.CallAsync("search", new { query = "warm up the model", room = "lobby" })).Structured();

        foreach (var (run, query) in new[] { ("cold", "my laptop will not turn on"), ("warm", "my laptop will not turn on"), ("warm, new query", "my notebook won't power up") })
        {
            var started = Stopwatch.GetTimestamp();
            var found = (await mcp.CallAsync("search", new { query, room = "busy", limit = 5 })).Structured();
            var elapsed = Stopwatch.GetElapsedTime(started);
            output.WriteLine($"search over 1,000 messages, {run}: {elapsed.TotalMilliseconds:F0} ms");
            Assert.Equal("meaning", found.GetProperty("method").GetString());
            Assert.Equal(Target, found.GetProperty("results")[0].GetProperty("text").GetString());
        }
    }

    private Task SeedAsync(string room, IEnumerable<string> texts) => SeedAsync(_host, room, texts);

    /// <summary>Stores messages straight in the log: the search reads the log, and posting a thousand through the hub's rules would be slow.</summary>
    private static async Task SeedAsync(StandaloneHost host, string room, IEnumerable<string> texts)
    {
        var log = host.Services.GetRequiredService<IMessageLog>();
        foreach (var text in texts)
        {
            await log.AppendAsync(new NewMessage(room, "u_seed", "seeder", MessageKind.User, text, null), DateTimeOffset.UtcNow, CancellationToken.None);
        }
    }

    private static List<string?> Texts(JsonElement found) => [.. found.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("text").GetString())];

    private static string NewName(string prefix) => $"{prefix}_{Guid.NewGuid().ToString("N")[..8]}";
}
