using System.Security.Cryptography;
using Chatroom.Testing.Http;
using Xunit.Abstractions;

namespace Chatroom.MultiNode.Tests;

/// <summary>
/// A direct conversation between people on two socket-server processes over Redis: the request crosses nodes, the two
/// talk across them, and after one node is lost its person reconnects to the other and recovers what they missed by
/// lastSeenId, then pages the older history.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class MultiNodeConversationTests(MultiNodeFixture cluster, ITestOutputHelper output)
{
    private const string Password = "correct horse battery";

    [Fact]
    public Task APrivateConversationCrossesNodes_AndSurvivesLosingOne() => cluster.RunAsync(output, async () =>
    {
        var ana = await PersonAsync("ana");
        var bo = await PersonAsync("bo");
        await using var anaHub = await cluster.ConnectAsync(cluster.SocketA, ana.Token);
        var boHub = await cluster.ConnectAsync(cluster.SocketB, bo.Token);
        string room;
        long lastSeen;
        try
        {
            room = await anaHub.InvokeAsync<string>("OpenDirect", bo.UserId);
            Assert.Equal(room, await boHub.InvokeAsync<string>("OpenDirect", ana.UserId));
            await anaHub.InvokeAsync("JoinRoom", room, null);
            await boHub.InvokeAsync("JoinRoom", room, null);
            await anaHub.InvokeAsync("SendMessage", room, "hello from node A", "a-0");
            await boHub.WaitForEventAsync("message", m => m.GetProperty("text").GetString() == "hello from node A");
            var sent = await boHub.InvokeAsync("SendMessage", room, "hello from node B", "b-0");
            lastSeen = sent.GetProperty("id").GetInt64();
            await anaHub.WaitForEventAsync("message", m => m.GetProperty("text").GetString() == "hello from node B");
        }
        finally
        {
            await boHub.DisposeAsync();
        }

        await cluster.SocketB.KillAsync();
        for (var i = 1; i <= 5; i++)
        {
            await anaHub.InvokeAsync("SendMessage", room, $"while you were away {i}", $"a-{i}");
        }

        // Bo comes back on the surviving node and gets exactly what was missed.
        await using var back = await cluster.ConnectAsync(cluster.SocketA, bo.Token);
        var rejoined = await back.InvokeAsync("JoinRoom", room, lastSeen);
        Assert.Equal(
            Enumerable.Range(1, 5).Select(i => $"while you were away {i}"),
            rejoined.GetProperty("missed").EnumerateArray().Select(m => m.GetProperty("text").GetString()));

        // History pages backwards in order, for members only.
        var page = await cluster.ApiClient.GetJsonAsync($"/api/rooms/{room}/messages?limit=3", bo.Token);
        Assert.Equal(["while you were away 3", "while you were away 4", "while you were away 5"],
            page["messages"]!.AsArray().Select(m => m!["text"]!.GetValue<string>()));
        var oldest = page["messages"]![0]!["id"]!.GetValue<long>();
        var older = await cluster.ApiClient.GetJsonAsync($"/api/rooms/{room}/messages?limit=3&before={oldest}", bo.Token);
        Assert.Equal(["hello from node B", "while you were away 1", "while you were away 2"],
            older["messages"]!.AsArray().Select(m => m!["text"]!.GetValue<string>()));
        var eve = await PersonAsync("eve");
        using var outsider = await cluster.ApiClient.SendAsync(HttpMethod.Get, $"/api/rooms/{room}/messages", eve.Token);
        Assert.Equal((404, "unknown_room"), await ChatApiClient.ProblemAsync(outsider));
    });

    private Task<(string UserId, string Token)> PersonAsync(string prefix) =>
        cluster.ApiClient.RegisterAccountAsync(prefix + "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)), Password);
}
