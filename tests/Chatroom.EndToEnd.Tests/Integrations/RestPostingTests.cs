using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;
using Chatroom.Testing.Redis;

namespace Chatroom.EndToEnd.Tests.Integrations;

/// <summary>
/// <c>POST /api/rooms/{room}/messages</c> with <c>Idempotency-Key</c>, on both backends (the key is the message log's
/// client id, kept by SQLite's unique index and by Redis's dedup hash): replay, conflict, limits, live delivery.
/// </summary>
public sealed class RestPostingTests
{
    public static TheoryData<string> Backends => ["embedded", "redis"];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task APostReachesHubClientsLive_AndARetriedKeyReplaysTheFirstAnswer(string backend)
    {
        await using var env = await PostingHost.StartAsync(backend);
        var api = env.Host.Api;
        var token = await api.GuestTokenAsync("ci-bot");
        await using var watcher = await api.ConnectAsync("watcher");
        await watcher.InvokeAsync("JoinRoom", "lobby", null);

        using var first = await PostAsync(api, token, "lobby", "build 812 passed", "build-812");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var message = (await first.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!;
        var id = message["id"]!.GetValue<long>();
        var live = await watcher.WaitForEventAsync("message", e => e.GetProperty("id").GetInt64() == id);
        Assert.Equal("build 812 passed", live.GetProperty("text").GetString());
        Assert.Equal("ci-bot", live.GetProperty("authorName").GetString());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));

        using var retry = await PostAsync(api, token, "lobby", "build 812 passed", "build-812");
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(["true"], retry.Headers.GetValues("Idempotent-Replayed"));
        var replayed = (await retry.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!;
        Assert.Equal(id, replayed["id"]!.GetValue<long>());
        Assert.Equal(message["sentAt"]!.GetValue<string>(), replayed["sentAt"]!.GetValue<string>());

        using var conflict = await PostAsync(api, token, "lobby", "build 812 failed", "build-812");
        Assert.Equal((422, "idempotency_key_reused"), await ChatApiClient.ProblemAsync(conflict));

        var page = await api.GetJsonAsync("/api/rooms/lobby/messages", token);
        Assert.Single(page["messages"]!.AsArray(), m => m!["text"]!.GetValue<string>().StartsWith("build 812", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task TheHubsSendRulesAndLimitsApply(string backend)
    {
        await using var env = await PostingHost.StartAsync(backend, new Dictionary<string, string?>
        {
            ["Chatroom:Chat:UserMessagesPerSecond"] = "0.01",
            ["Chatroom:Chat:UserBurst"] = "2",
        });
        var api = env.Host.Api;
        var token = await api.GuestTokenAsync("noisy");

        using var longKey = await PostAsync(api, token, "lobby", "hi", new string('k', 65));
        Assert.Equal((400, "invalid_idempotency_key"), await ChatApiClient.ProblemAsync(longKey));
        using var empty = await PostAsync(api, token, "lobby", "  ", "e-1");
        Assert.Equal((400, "empty_text"), await ChatApiClient.ProblemAsync(empty));
        using var unknown = await PostAsync(api, token, "nowhere", "hi", "u-1");
        Assert.Equal((404, "unknown_room"), await ChatApiClient.ProblemAsync(unknown));
        using var anonymous = await PostAsync(api, null, "lobby", "hi", "a-1");
        Assert.Equal((401, "unauthorized"), await ChatApiClient.ProblemAsync(anonymous));

        // Two at once, then the person's budget refills at one per 100 s: the third waits, and is told how long. (A refused
        // text took a token too, as on the hub: the rate is checked before the text, so a fresh guest counts from here.)
        token = await api.GuestTokenAsync("burst");
        using (var one = await PostAsync(api, token, "lobby", "one", "r-1"))
        using (var two = await PostAsync(api, token, "lobby", "two", "r-2"))
        {
            Assert.Equal(HttpStatusCode.Created, one.StatusCode);
            Assert.Equal(HttpStatusCode.Created, two.StatusCode);
        }

        using var limited = await PostAsync(api, token, "lobby", "three", "r-3");
        Assert.Equal((429, "rate_limited"), await ChatApiClient.ProblemAsync(limited));
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 100);
    }

    [Fact]
    public async Task AMessageWithoutAKeyIsStoredEachTime()
    {
        await using var env = await PostingHost.StartAsync("embedded");
        var token = await env.Host.Api.GuestTokenAsync("plain");

        using var first = await PostAsync(env.Host.Api, token, "lobby", "same words", null);
        using var second = await PostAsync(env.Host.Api, token, "lobby", "same words", null);

        var ids = new[] { first, second }.Select(r => r.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json));
        var stored = await Task.WhenAll(ids);
        Assert.NotEqual(stored[0]!["id"]!.GetValue<long>(), stored[1]!["id"]!.GetValue<long>());
    }

    private static async Task<HttpResponseMessage> PostAsync(ChatApiClient api, string? token, string room, string text, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/rooms/{room}/messages") { Content = JsonContent.Create(new { text }) };
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await api.Http.SendAsync(request);
    }

    /// <summary>The standalone host on the embedded stores, or on a Redis server of the test's own.</summary>
    private sealed class PostingHost : IAsyncDisposable
    {
        private readonly TempDirectory _data;
        private readonly RedisServer? _redis;

        private PostingHost(TempDirectory data, RedisServer? redis, StandaloneHost host)
        {
            _data = data;
            _redis = redis;
            Host = host;
        }

        public StandaloneHost Host { get; }

        public static async Task<PostingHost> StartAsync(string backend, Dictionary<string, string?>? settings = null)
        {
            var data = new TempDirectory();
            var redis = backend == "redis" ? await RedisServer.StartAsync() : null;
            settings ??= [];
            if (redis is not null)
            {
                settings["ConnectionStrings:redis"] = redis.ConnectionString;
            }

            return new PostingHost(data, redis, await StandaloneHost.StartAsync(data.Path, settings));
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            if (_redis is not null)
            {
                await _redis.DisposeAsync();
            }

            _data.Dispose();
        }
    }
}
