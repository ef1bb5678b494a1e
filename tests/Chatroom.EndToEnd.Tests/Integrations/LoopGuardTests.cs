using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.Http;

namespace Chatroom.EndToEnd.Tests.Integrations;

/// <summary>
/// The loop guard over real HTTP: receivers on loopback that answer every delivery by posting back into the room, echoing
/// the delivered message's hop. Left alone such programs would answer each other for ever; the chain stops after
/// <c>Chatroom:Integrations:MaxHops</c> automated answers, the next post is refused with <c>loop_detected</c>, and the
/// drop is counted in <c>chatroom_integration_loops_dropped_total</c>.
/// </summary>
public sealed partial class LoopGuardTests
{
    private const int MaxHops = 3;

    [Fact]
    public async Task ProgramsAnsweringEachOtherStopAtMaxHops_AndTheDropsAreCounted()
    {
        using var data = new TempDirectory();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await StandaloneHost.StartAsync(data.Path, new Dictionary<string, string?>
        {
            ["Chatroom:Webhooks:AllowedNetworks:0"] = "127.0.0.0/8",
            ["Chatroom:Webhooks:PollInterval"] = "00:00:00.100",
            ["Chatroom:Integrations:MaxHops"] = MaxHops.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var api = host.Api;
        var admin = await api.AdminTokenAsync(StandaloneHost.AdminPassword);
        var answers = new ConcurrentQueue<(string Path, int Hop, HttpStatusCode Status, string? Code)>();

        // An outgoing webhook whose receiver relays each message of #lobby back in through an incoming webhook.
        using var created = await api.SendAsync(HttpMethod.Post, "/api/admin/webhooks/incoming", admin, new { name = "relay", room = "lobby" });
        var hookPath = (await created.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!["path"]!.GetValue<string>();
        await SubscribeAsync(api, admin, receiver, "/relay", "lobby", botId: null);
        receiver.Afterwards("/relay", r => AnswerAsync(api, "/relay", hookPath, null, r, answers));

        // Two bots in #bots, each hearing the other's messages (never its own) and answering over REST.
        await api.CreateRoomAsync(admin, "bots");
        var (pingId, pingToken) = await BotTests.CreateBotAsync(api, admin, "ping", ["read", "post"], ["bots"]);
        var (pongId, pongToken) = await BotTests.CreateBotAsync(api, admin, "pong", ["read", "post"], ["bots"]);
        var ping = await BotTests.ExchangeAsync(api, pingToken);
        var pong = await BotTests.ExchangeAsync(api, pongToken);
        await SubscribeAsync(api, admin, receiver, "/ping", "bots", pingId);
        await SubscribeAsync(api, admin, receiver, "/pong", "bots", pongId);
        receiver.Afterwards("/ping", r => AnswerAsync(api, "/ping", "/api/rooms/bots/messages", ping, r, answers));
        receiver.Afterwards("/pong", r => AnswerAsync(api, "/pong", "/api/rooms/bots/messages", pong, r, answers));

        var person = await api.GuestTokenAsync("ana");
        using (var hello = await api.SendAsync(HttpMethod.Post, "/api/rooms/lobby/messages", person, new { text = "hello relay" }))
        {
            Assert.Equal(HttpStatusCode.Created, hello.StatusCode);
        }

        using (var start = await api.SendAsync(HttpMethod.Post, "/api/rooms/bots/messages", admin, new { text = "bots, go" }))
        {
            Assert.Equal(HttpStatusCode.Created, start.StatusCode);
        }

        // The relay: hops 1, 2, 3 are stored, the answer to hop 3 is refused. The bots: each hop holds one message from
        // each bot (each answers the other's previous one), and both answers to hop 3 are refused.
        await WaitAsync(() => answers.Count(a => a.Path == "/relay" && a.Hop == MaxHops) == 1
            && answers.Count(a => a.Path != "/relay" && a.Hop == MaxHops) == 2);
        Assert.All(answers.Where(a => a.Hop < MaxHops), a => Assert.Equal(HttpStatusCode.Created, a.Status));
        Assert.All(answers.Where(a => a.Hop == MaxHops), a => Assert.Equal((HttpStatusCode.Conflict, "loop_detected"), (a.Status, a.Code)));

        var relayed = (await api.GetJsonAsync("/api/rooms/lobby/messages", person))["messages"]!.AsArray()
            .Where(m => m!["kind"]!.GetValue<string>() == "webhook").Select(m => m!["hop"]!.GetValue<int>()).ToList();
        Assert.Equal([1, 2, 3], relayed);
        var botHops = (await api.GetJsonAsync("/api/rooms/bots/messages", admin))["messages"]!.AsArray()
            .Where(m => m!["kind"]!.GetValue<string>() == "bot").Select(m => m!["hop"]!.GetValue<int>()).Order().ToList();
        Assert.Equal([1, 1, 2, 2, 3, 3], botHops);

        var metrics = await api.Http.GetStringAsync("/metrics");
        Assert.Matches(Sample("chatroom_integration_loops_dropped_total", "kind=\"webhook\"", "1"), metrics);
        Assert.Matches(Sample("chatroom_integration_loops_dropped_total", "kind=\"bot\"", "2"), metrics);

        // A hop that cannot be real is refused, not trusted.
        using var forged = await PostBackAsync(api, "/api/rooms/bots/messages", ping, "forged", "-1", "forged-1");
        Assert.Equal((400, "invalid_request"), await ChatApiClient.ProblemAsync(forged));
    }

    [Fact]
    public async Task AnAgentAnswersAProgramOneHopFurther_AndNotPastMaxHops()
    {
        using var data = new TempDirectory();
        await using var host = await StandaloneHost.StartAsync(data.Path, new Dictionary<string, string?>
        {
            ["Chatroom:Integrations:MaxHops"] = MaxHops.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var api = host.Api;
        var admin = await api.AdminTokenAsync(StandaloneHost.AdminPassword);
        var (_, botToken) = await BotTests.CreateBotAsync(api, admin, "relay", ["read", "post"], ["lobby"]);
        await using var ana = await api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", "lobby", null);

        // Hop 3 (answering hop 2): the assistant's answer would be hop 4, so it is never asked.
        using (var last = await PostBackAsync(api, "/api/rooms/lobby/messages", botToken, "@assistant are you there?", "2", "k-last"))
        {
            Assert.Equal(HttpStatusCode.Created, last.StatusCode);
        }

        // Hop 2: the assistant answers at hop 3.
        long marker;
        using (var allowed = await PostBackAsync(api, "/api/rooms/lobby/messages", botToken, "@assistant and now?", "1", "k-allowed"))
        {
            Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
            marker = (await allowed.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!["id"]!.GetValue<long>();
        }

        var reply = await AgentTests.AgentReplyAsync(ana, "assistant", after: marker);
        Assert.Equal(MaxHops, reply.GetProperty("hop").GetInt32());

        // The hop-3 question was dropped before the model, and counted.
        var dropped = Sample("chatroom_integration_loops_dropped_total", "kind=\"agent\"", "1");
        await WaitAsync(async () => dropped.IsMatch(await api.Http.GetStringAsync("/metrics")));
        Assert.Single(ana.EventsOf("message"), m => m.GetProperty("authorName").GetString() == "assistant");
    }

    /// <summary>What a receiver does with a delivery: post an answer echoing the delivered message's hop; its outcome is recorded.</summary>
    private static async Task AnswerAsync(
        ChatApiClient api, string path, string postPath, string? token, ReceivedWebhook delivery,
        ConcurrentQueue<(string, int, HttpStatusCode, string?)> answers)
    {
        var message = JsonNode.Parse(delivery.Body)!["data"]!["message"]!;
        var hop = message["hop"]?.GetValue<int>() ?? 0;
        // The delivery's id as the idempotency key: a redelivered event is answered once.
        using var response = await PostBackAsync(api, postPath, token, $"answer to {message["id"]}", hop.ToString(System.Globalization.CultureInfo.InvariantCulture), delivery.Id);
        var code = response.IsSuccessStatusCode ? null : (await ChatApiClient.ProblemAsync(response)).Code;
        answers.Enqueue((path, hop, response.StatusCode, code));
    }

    private static async Task<HttpResponseMessage> PostBackAsync(ChatApiClient api, string path, string? token, string text, string hop, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { text }) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("Idempotency-Key", key);
        }

        request.Headers.Add("X-Chatroom-Hop", hop);
        return await api.Http.SendAsync(request);
    }

    private static async Task SubscribeAsync(ChatApiClient api, string admin, WebhookReceiver receiver, string path, string room, string? botId)
    {
        using var response = await api.SendAsync(HttpMethod.Post, "/api/admin/webhooks", admin,
            new { url = new Uri(receiver.Address, path).ToString(), events = new[] { "message.created" }, rooms = new[] { room }, botId });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        receiver.Url(path, (await response.Content.ReadFromJsonAsync<JsonObject>(ChatApiClient.Json))!["secret"]!.GetValue<string>());
    }

    private static Task WaitAsync(Func<bool> condition) => WaitAsync(() => Task.FromResult(condition()));

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the chain did not end as expected");
            }

            await Task.Delay(100);
        }
    }

    private static Regex Sample(string name, string label, string value) =>
        new($"(?m)^{Regex.Escape(name)}\\{{[^}}\\n]*{Regex.Escape(label)}[^}}\\n]*\\}} {Regex.Escape(value)}$");
}
