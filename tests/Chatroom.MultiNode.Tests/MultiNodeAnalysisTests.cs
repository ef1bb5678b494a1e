using System.Diagnostics;
using System.Text.Json.Nodes;
using Chatroom.Core.Queues;
using Chatroom.Redis;
using Chatroom.Redis.Queues;
using Xunit.Abstractions;

namespace Chatroom.MultiNode.Tests;

/// <summary>Moderation across processes: a socket node enqueues, the separate analysis worker decides, admins elsewhere hear of it.</summary>
[Collection(MultiNodeCollection.Name)]
public sealed class MultiNodeAnalysisTests(MultiNodeFixture cluster, ITestOutputHelper output)
{
    private const string Abuse = "you are a worthless idiot, go kill yourself";
    private static readonly TimeSpan AnalysisTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public Task AnUnsafeMessageSentThroughOneNodeIsAnalysedByTheWorkerAndReachesAdminsOnAnother() => cluster.RunAsync(output, async () =>
    {
        var adminToken = await cluster.ApiClient.AdminTokenAsync(MultiNodeFixture.AdminPassword);
        var room = await NewRoomAsync(adminToken);
        await using var admin = await cluster.ConnectAsync(cluster.SocketB, adminToken);
        await using var alice = await cluster.ConnectAsync(cluster.SocketA, await cluster.ApiClient.GuestTokenAsync("alice"));
        await alice.InvokeAsync("JoinRoom", room, null);

        var id = await MultiNodeChatTests.SendAsync(alice, room, Abuse);

        var verdict = await admin.WaitForEventAsync("analysis",
            e => e.GetProperty("room").GetString() == room && e.TryGetProperty("messageId", out var m) && m.GetInt64() == id, AnalysisTimeout);
        Assert.Equal("unsafe", verdict.GetProperty("verdict").GetProperty("safety").GetString());

        var analysis = await WaitForAnalysisAsync(room, adminToken, id);
        Assert.Equal(1, analysis["aggregates"]!["allTime"]!["total"]!.GetValue<long>());
        Assert.Equal(1, analysis["aggregates"]!["allTime"]!["unsafe"]!.GetValue<long>());
    });

    [Fact]
    public Task TheAnalysisServiceOnItsOwnRefusesAnOversizeBodyLikeTheApi() => cluster.RunAsync(output, async () =>
    {
        var admin = await cluster.ApiClient.AdminTokenAsync(MultiNodeFixture.AdminPassword);
        using var http = new HttpClient { BaseAddress = cluster.Analysis.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/analysis/classify")
        {
            Content = new StringContent($$"""{"text":"{{new string('a', 1024 * 1024)}}"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", admin);
        request.Headers.ExpectContinue = true;
        using var response = await http.SendAsync(request);

        Assert.Equal((413, "payload_too_large"), await Chatroom.Testing.Http.ChatApiClient.ProblemAsync(response));

        using var health = await http.GetAsync("/health");
        Assert.Equal(200, (int)health.StatusCode);
    });

    [Fact]
    public Task AQueueEntryOfAWorkerThatDiedUnacknowledgedIsAnalysedByAnother() => cluster.RunAsync(output, async () =>
    {
        var adminToken = await cluster.ApiClient.AdminTokenAsync(MultiNodeFixture.AdminPassword);
        var room = await NewRoomAsync(adminToken);
        await cluster.Analysis.KillAsync();

        await using var alice = await cluster.ConnectAsync(cluster.SocketA, await cluster.ApiClient.GuestTokenAsync("alice"));
        await alice.InvokeAsync("JoinRoom", room, null);
        var id = await MultiNodeChatTests.SendAsync(alice, room, Abuse);

        // A worker takes the entry from the consumer group, then dies (its connection drops) before acknowledging.
        await using (var doomed = await RedisConnectionConfiguration.ConnectAsync(cluster.Redis.ConnectionString))
        {
            var queue = new RedisWorkQueue(doomed, Microsoft.Extensions.Options.Options.Create(new QueueOptions { ClaimTimeout = MultiNodeFixture.ClaimTimeout }),
                Microsoft.Extensions.Options.Options.Create(new RedisBackendOptions()));
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                var entries = await queue.ReadAsync(QueueNames.Analysis, "doomed-worker", 100, TimeSpan.FromSeconds(1), CancellationToken.None);
                if (entries.Any(e => e.Item.Room == room && e.Item.MessageId == id))
                {
                    break;
                }

                Assert.True(deadline.Elapsed < AnalysisTimeout, "the analysis entry never reached the doomed worker");
            }

            Assert.True(await queue.BacklogAsync(QueueNames.Analysis, CancellationToken.None) >= 1);
        }

        await cluster.Analysis.RestartAsync();
        var analysis = await WaitForAnalysisAsync(room, adminToken, id);
        Assert.Equal(1, analysis["aggregates"]!["allTime"]!["total"]!.GetValue<long>());
        Assert.Equal(1, analysis["aggregates"]!["allTime"]!["unsafe"]!.GetValue<long>());
    });

    /// <summary>Polls the API until the room's analysis lists the message as flagged.</summary>
    private async Task<JsonObject> WaitForAnalysisAsync(string room, string adminToken, long messageId)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var analysis = await cluster.ApiClient.GetJsonAsync($"/api/admin/rooms/{room}/analysis", adminToken);
            if (analysis["flagged"]?.AsArray().Any(f => f!["messageId"]!.GetValue<long>() == messageId) == true)
            {
                return analysis;
            }

            if (deadline.Elapsed > AnalysisTimeout)
            {
                throw new TimeoutException($"The analysis of {room} did not show message {messageId} within {AnalysisTimeout}: {analysis.ToJsonString()}");
            }

            await Task.Delay(200);
        }
    }

    private async Task<string> NewRoomAsync(string adminToken)
    {
        var room = "mn-" + Guid.NewGuid().ToString("N")[..12];
        await cluster.ApiClient.CreateRoomAsync(adminToken, room);
        return room;
    }
}
