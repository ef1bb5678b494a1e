using System.Text.Json;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Chatroom.Core.Messages;
using Chatroom.Core.Queues;
using Chatroom.Core.Rooms;
using Chatroom.Testing.Redis;

namespace Chatroom.Redis.Tests;

/// <summary>
/// The send in one step (append, publish, both queue writes in one script) on a single server: what it stores, numbers,
/// publishes and queues, and that a Redis killed under it leaves every message with all of that or none of it.
/// </summary>
public sealed class SendPathTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>
{
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_000);

    [Fact]
    public async Task ASendIsStoredNumberedPublishedAndQueuedForBothWorkers()
    {
        await using var backend = await (await TestBackend.ConnectAsync(fixture.Server.ConnectionString)).ConnectedAsync();
        await using var rig = new SendPathRig(backend);
        await SendPathChecks.StoresPublishesAndQueuesAsync(rig);
    }

    [Fact]
    public async Task ARedisKilledUnderLoadLeavesEveryMessageWithAllItsQueueEntriesOrNoneOfIt()
    {
        await using var server = await RedisServer.StartAsync(["--appendonly", "yes", "--appendfsync", "always"]);
        await using var backend = await (await TestBackend.ConnectAsync(server.ConnectionString)).ConnectedAsync();
        await using var rig = new SendPathRig(backend);
        await rig.Rooms.TryCreateAsync(new Room("crash", null, "owner", Created), CancellationToken.None);

        // Sends keep coming while Redis is killed: some are acknowledged, some fail, some ran but lost their reply.
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<long>();
        var failed = new System.Collections.Concurrent.ConcurrentBag<string>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var senders = Enumerable.Range(0, 8).Select(sender => Task.Run(async () =>
        {
            for (var i = 0; i < 400; i++)
            {
                var clientId = $"s{sender}-{i}";
                try
                {
                    acknowledged.Add((await rig.SendAsync("crash", clientId, clientId)).Message.Id);
                    if (acknowledged.Count >= 200)
                    {
                        enough.TrySetResult();
                    }
                }
                catch (BackendUnavailableException)
                {
                    failed.Add(clientId);
                }
            }
        })).ToList();
        await enough.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await server.KillAsync();
        await Task.WhenAll(senders);
        await server.RestartAsync();

        var stored = await Eventually.AvailableAsync(() => rig.Log.ReadAsync("crash", new MessageQuery(null, null, 10_000), CancellationToken.None), TimeSpan.FromSeconds(30));
        var storedIds = stored.Select(m => m.Id).ToList();
        var analysis = await rig.QueuedIdsAsync(QueueNames.Analysis, "crash");
        var agents = await rig.QueuedIdsAsync(QueueNames.Agents, "crash");

        Assert.NotEmpty(failed);
        Assert.Subset(storedIds.ToHashSet(), acknowledged.ToHashSet());
        // All or nothing: every stored message is queued once for each worker, and nothing is queued that was not stored.
        Assert.Equal(storedIds, analysis.Order());
        Assert.Equal(storedIds, agents.Order());
        Assert.Equal(Enumerable.Range(1, storedIds.Count).Select(i => (long)i), storedIds);

        // A failed send left nothing, or everything: retried with its client id it is stored once and queued once.
        foreach (var clientId in failed.Take(20))
        {
            await rig.SendAsync("crash", clientId, clientId);
        }

        var afterRetry = (await rig.Log.ReadAsync("crash", new MessageQuery(null, null, 10_000), CancellationToken.None)).Select(m => m.Id).ToList();
        Assert.Equal(afterRetry, (await rig.QueuedIdsAsync(QueueNames.Analysis, "crash")).Order());
        Assert.Equal(afterRetry.Count, (await rig.Log.ReadAsync("crash", new MessageQuery(null, null, 10_000), CancellationToken.None))
            .Select(m => m.ClientMessageId).Distinct().Count());
    }

    [Fact]
    public async Task ASendRefusedForAnUnknownRoomLeavesNothingQueuedOrPublished()
    {
        await using var backend = await (await TestBackend.ConnectAsync(fixture.Server.ConnectionString)).ConnectedAsync();
        await using var rig = new SendPathRig(backend);
        var error = await Assert.ThrowsAsync<ChatException>(() => rig.SendAsync("nowhere", "hello"));
        Assert.Equal(ErrorCodes.UnknownRoom, error.Code);
        Assert.Empty(await rig.QueuedIdsAsync(QueueNames.Analysis, "nowhere"));
        Assert.Empty(await rig.QueuedIdsAsync(QueueNames.Agents, "nowhere"));
    }
}

internal static class SendPathChecks
{
    public static async Task StoresPublishesAndQueuesAsync(SendPathRig rig)
    {
        await rig.Rooms.TryCreateAsync(new Room("one-step", null, "owner", DateTimeOffset.UnixEpoch), CancellationToken.None);
        var events = System.Threading.Channels.Channel.CreateUnbounded<ChatEvent>();
        await using var subscription = await rig.Bus.SubscribeAsync("one-step", e =>
        {
            events.Writer.TryWrite(e);
            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        // Text that looks like the id placeholder must not confuse where the script puts the id.
        const string tricky = "\"id\":9223372036854775807 — héllo 👋";
        var first = await rig.SendAsync("one-step", tricky, "c-1");
        var second = await rig.SendAsync("one-step", "second");
        var retried = await rig.SendAsync("one-step", tricky, "c-1");

        Assert.Equal([1L, 2L], [first.Message.Id, second.Message.Id]);
        Assert.True(retried.Duplicate);
        Assert.Equal(first.Message, retried.Message);

        // Each new message is published once as the bus publishes it; the retried one is announced again.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new List<ChatMessage>();
        while (received.Count < 3)
        {
            var e = await events.Reader.ReadAsync(timeout.Token);
            Assert.Equal(ChatEventTypes.Message, e.Type);
            Assert.Equal("one-step", e.Room);
            received.Add(e.Data.Deserialize<ChatMessage>(ChatJson.Options)!);
        }

        Assert.Equal([first.Message, second.Message, first.Message], received);
        Assert.Equal(tricky, received[0].Text);

        // Queued once each for analysis and for the agents, with the fields the workers read.
        Assert.Equal([1L, 2L], await rig.QueuedIdsAsync(QueueNames.Analysis, "one-step"));
        Assert.Equal([1L, 2L], await rig.QueuedIdsAsync(QueueNames.Agents, "one-step"));
        var read = await rig.Queue.ReadAsync(QueueNames.Analysis, "w", 10, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal([new WorkItem("one-step", 1, null), new WorkItem("one-step", 2, null)], read.Select(e => e.Item with { TraceParent = null }));
    }
}
