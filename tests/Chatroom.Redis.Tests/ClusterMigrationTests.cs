using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Core.Messages;
using Chatroom.Core.Rooms;
using Chatroom.Redis.Bus;
using Chatroom.Redis.Messages;
using Chatroom.Redis.Rooms;
using Chatroom.Testing.Redis;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Chatroom.Redis.Tests;

/// <summary>
/// Slots moving under a connected client, with the real resharding steps (SETSLOT IMPORTING/MIGRATING,
/// MIGRATE, SETSLOT NODE). These tests get a cluster of their own, so moved slots never surprise the
/// shared cluster's tests; each moves the slot of a room no other test uses.
/// </summary>
public sealed class ClusterMigrationTests(RedisClusterFixture redis) : IClassFixture<RedisClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch.AddDays(20000);

    private RedisCluster Cluster => redis.Cluster;

    [Fact]
    public async Task FollowsMovedToTheSlotsNewOwner()
    {
        var ct = CancellationToken.None;
        await using var backend = await TestBackend.ConnectAsync(Cluster.ConnectionString);
        var (rooms, log) = (new RedisRoomStore(backend.Redis, backend.Options), new RedisMessageLog(backend.Redis, backend.Options));
        var room = "moved-" + Guid.NewGuid().ToString("N")[..8];
        var logKey = new RedisKeys(backend.Options.Value.KeyPrefix).RoomLog(room);
        var slot = backend.Redis.HashSlot(logKey);
        Assert.True(await rooms.TryCreateAsync(new Room(room, null, "owner", Now), ct));
        await log.AppendAsync(Message(room, "before the move"), Now, ct);

        var source = await Cluster.OwnerOfSlotAsync(slot);
        var target = Cluster.Nodes.First(n => n != source);
        Assert.Equal(source.Endpoint, OwnerSeenBy(backend.Redis, logKey));

        await Cluster.MoveSlotAsync(slot, source, target);
        Assert.Same(target, await Cluster.OwnerOfSlotAsync(slot));
        var movedBefore = await ErrorCountAsync(source, "MOVED");

        // The client still maps the slot to the source: its first command is answered MOVED and retried at the target.
        var page = await log.ReadAsync(room, new MessageQuery(null, null, 10), ct);
        Assert.Equal(["before the move"], page.Select(m => m.Text));
        Assert.True(await ErrorCountAsync(source, "MOVED") > movedBefore);
        Assert.Equal(target.Endpoint, OwnerSeenBy(backend.Redis, logKey));

        // From now on the map is right: reads and appends go straight to the target, no more redirections.
        var movedAfterFirst = await ErrorCountAsync(source, "MOVED");
        var appended = await log.AppendAsync(Message(room, "after the move"), Now, ct);
        Assert.Equal(2, appended.Message.Id);
        Assert.Equal("after the move", (await log.GetAsync(room, 2, ct))?.Text);
        Assert.Equal(["before the move", "after the move"], (await log.ReadAsync(room, new MessageQuery(null, null, 10), ct)).Select(m => m.Text));
        Assert.NotNull(await rooms.GetAsync(room, ct));
        Assert.Equal(movedAfterFirst, await ErrorCountAsync(source, "MOVED"));

        // The data really is on the target (a non-cluster redis-cli gets an answer, not MOVED).
        Assert.Equal("2", (await target.CliAsync("XLEN", logKey)).Trim());
    }

    [Fact]
    public async Task FollowsAskDuringAMigrationWithoutRemappingTheSlot()
    {
        var ct = CancellationToken.None;
        await using var backend = await TestBackend.ConnectAsync(Cluster.ConnectionString);
        var (rooms, log) = (new RedisRoomStore(backend.Redis, backend.Options), new RedisMessageLog(backend.Redis, backend.Options));
        var room = "ask-" + Guid.NewGuid().ToString("N")[..8];
        var logKey = new RedisKeys(backend.Options.Value.KeyPrefix).RoomLog(room);
        var slot = backend.Redis.HashSlot(logKey);
        Assert.True(await rooms.TryCreateAsync(new Room(room, null, "owner", Now), ct));
        await log.AppendAsync(Message(room, "first", clientId: "c1"), Now, ct);

        var source = await Cluster.OwnerOfSlotAsync(slot);
        var target = Cluster.Nodes.First(n => n != source);
        await Cluster.BeginSlotMigrationAsync(slot, source, target);
        var finished = false;
        try
        {
            // The room's keys have moved; the slot is still the source's (MIGRATING there, IMPORTING on the target).
            await Cluster.MigrateKeysAsync(slot, source, target);
            Assert.Same(source, await Cluster.OwnerOfSlotAsync(slot));
            var askBefore = await ErrorCountAsync(source, "ASK");
            var askingBefore = await CallCountAsync(target, "asking");

            // A single-key read: the source answers ASK, the client sends ASKING + XRANGE to the target.
            var entries = await backend.Database.StreamRangeAsync(logKey, "-", "+", 10);
            Assert.Equal("first", (string?)Assert.Single(entries)["t"]);
            var askAfterRead = await ErrorCountAsync(source, "ASK");
            Assert.Equal(askBefore + 1, askAfterRead);
            Assert.Equal(askingBefore + 1, await CallCountAsync(target, "asking"));

            // ASK is a one-off: the slot still maps to the source, so the next command is asked again.
            Assert.Equal(source.Endpoint, OwnerSeenBy(backend.Redis, logKey));

            // The append script (all five keys of the room exist, all on the target) goes the same way.
            var appended = await log.AppendAsync(Message(room, "during the migration", clientId: "c2"), Now, ct);
            Assert.Equal(2, appended.Message.Id);
            Assert.True(await ErrorCountAsync(source, "ASK") > askAfterRead);
            Assert.Equal(source.Endpoint, OwnerSeenBy(backend.Redis, logKey));
            var slotText = slot.ToString(CultureInfo.InvariantCulture);
            Assert.Equal("0", (await source.CliAsync("CLUSTER", "COUNTKEYSINSLOT", slotText)).Trim());
            Assert.Equal("5", (await target.CliAsync("CLUSTER", "COUNTKEYSINSLOT", slotText)).Trim());
            Assert.Equal(2, await backend.Database.StreamLengthAsync(logKey));

            // A script over a key that exists nowhere yet (the hidden-ids set) cannot run mid-migration: the target
            // answers TRYAGAIN, which the library returns as an error; the port retries (within syncTimeout) and
            // completes once the move is done.
            var tryAgainBefore = await ErrorCountAsync(target, "TRYAGAIN");
            var read = log.ReadAsync(room, new MessageQuery(null, null, 10), ct);
            await WaitUntilAsync(async () => await ErrorCountAsync(target, "TRYAGAIN") > tryAgainBefore);
            await Task.Delay(1000, ct); // A migration that takes a while; still well within syncTimeout (3 s).
            Assert.False(read.IsCompleted);
            await Cluster.FinishSlotMigrationAsync(slot, source, target);
            finished = true;
            Assert.Equal(["first", "during the migration"], (await read.WaitAsync(Patience, ct)).Select(m => m.Text));
        }
        finally
        {
            if (!finished)
            {
                await Cluster.FinishSlotMigrationAsync(slot, source, target);
            }
        }

        Assert.Equal(["first", "during the migration"], (await log.ReadAsync(room, new MessageQuery(null, null, 10), ct)).Select(m => m.Text));
        Assert.Equal(target.Endpoint, OwnerSeenBy(backend.Redis, logKey));
    }

    [Fact]
    public async Task ASubscriptionFollowsItsRoomToTheNewShard()
    {
        var ct = CancellationToken.None;
        await using var subscriberSide = await TestBackend.ConnectAsync(Cluster.ConnectionString);
        await using var publisherSide = await TestBackend.ConnectAsync(Cluster.ConnectionString);
        var options = subscriberSide.Options;
        var subscriberBus = new RedisChatBus(subscriberSide.Redis, options, NullLogger<RedisChatBus>.Instance);
        var publisherBus = new RedisChatBus(publisherSide.Redis, options, NullLogger<RedisChatBus>.Instance);
        var room = "follow-" + Guid.NewGuid().ToString("N")[..8];
        var channel = new RedisKeys(options.Value.KeyPrefix).RoomChannel(room);
        var slot = subscriberSide.Redis.HashSlot(channel);

        var received = new ConcurrentQueue<string>();
        var resyncs = 0;
        await using var subscription = await subscriberBus.SubscribeAsync(room, e =>
        {
            if (e.Type == ChatEventTypes.Resync)
            {
                Interlocked.Increment(ref resyncs);
            }
            else
            {
                received.Enqueue(e.Data.GetProperty("text").GetString()!);
            }

            return ValueTask.CompletedTask;
        }, ct);
        await publisherBus.PublishAsync(Event(room, "before"), ct);
        await WaitUntilAsync(() => received.Contains("before"));

        var source = await Cluster.OwnerOfSlotAsync(slot);
        var target = Cluster.Nodes.First(n => n != source);
        Assert.Equal(1, await ShardSubscribersAsync(source, channel));
        await Cluster.MoveSlotAsync(slot, source, target);

        // The source drops the channel (SUNSUBSCRIBE push); the subscriber must take it up on the target, and tell
        // its handler that events may have been missed meanwhile.
        await WaitUntilAsync(async () => await ShardSubscribersAsync(target, channel) == 1);
        Assert.Equal(0, await ShardSubscribersAsync(source, channel));
        await WaitUntilAsync(() => Volatile.Read(ref resyncs) >= 1);

        // The publisher still maps the slot to the source: SPUBLISH follows MOVED and reaches the subscriber.
        await publisherBus.PublishAsync(Event(room, "after"), ct);
        await WaitUntilAsync(() => received.Contains("after"));
        Assert.Equal(["before", "after"], received);

        // And back again: following works more than once.
        await Cluster.MoveSlotAsync(slot, target, source);
        await WaitUntilAsync(async () => await ShardSubscribersAsync(source, channel) == 1);
        await publisherBus.PublishAsync(Event(room, "back"), ct);
        await WaitUntilAsync(() => received.Contains("back"));
        Assert.Equal(["before", "after", "back"], received);
    }

    [Fact]
    public async Task ASubscriptionFollowsItsRoomWhileTheNodesStillDisagree()
    {
        var ct = CancellationToken.None;
        await using var backend = await TestBackend.ConnectAsync(Cluster.ConnectionString);
        var bus = new RedisChatBus(backend.Redis, backend.Options, NullLogger<RedisChatBus>.Instance);
        var room = "disagree-" + Guid.NewGuid().ToString("N")[..8];
        var channel = new RedisKeys(backend.Options.Value.KeyPrefix).RoomChannel(room);
        var slot = backend.Redis.HashSlot(channel);
        var received = new ConcurrentQueue<string>();
        await using var subscription = await bus.SubscribeAsync(room, e =>
        {
            if (e.Type != ChatEventTypes.Resync)
            {
                received.Enqueue(e.Data.GetProperty("text").GetString()!);
            }

            return ValueTask.CompletedTask;
        }, ct);

        // The source learns first that it lost the slot (and drops the channel) while the target does not know
        // yet that it owns it: for a moment each node sends MOVED to the other. The subscriber must keep trying.
        var source = await Cluster.OwnerOfSlotAsync(slot);
        var target = Cluster.Nodes.First(n => n != source);
        await Cluster.BeginSlotMigrationAsync(slot, source, target);
        await Cluster.AssignSlotAsync(slot, target, source);
        await WaitUntilAsync(async () => await ShardSubscribersAsync(source, channel) == 0);
        await Task.Delay(500, ct);
        Assert.Equal(0, await ShardSubscribersAsync(target, channel));
        await Cluster.AssignSlotAsync(slot, target, target);
        foreach (var other in Cluster.Nodes.Where(n => n != source && n != target))
        {
            await Cluster.AssignSlotAsync(slot, target, other);
        }

        await WaitUntilAsync(async () => await ShardSubscribersAsync(target, channel) == 1);
        await bus.PublishAsync(Event(room, "after"), ct);
        await WaitUntilAsync(() => received.Contains("after"));
    }

    /// <summary>The node the client's slot map sends the key to.</summary>
    private static string OwnerSeenBy(IConnectionMultiplexer redis, string key) => redis.GetServer((RedisKey)key).EndPoint switch
    {
        System.Net.IPEndPoint ip => $"{ip.Address}:{ip.Port.ToString(CultureInfo.InvariantCulture)}",
        System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port.ToString(CultureInfo.InvariantCulture)}",
        var other => other.ToString()!,
    };

    private static NewMessage Message(string room, string text, string? clientId = null) => new(room, "ann", "Ann", MessageKind.User, text, clientId);

    private static ChatEvent Event(string room, string text) => new(ChatEventTypes.Message, room, ChatJson.ToElement(new { text }));

    private static async Task<long> ErrorCountAsync(RedisServer node, string prefix)
    {
        var match = Regex.Match(await node.CliAsync("INFO", "errorstats"), $@"errorstat_{prefix}:count=(\d+)");
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    private static async Task<long> CallCountAsync(RedisServer node, string command)
    {
        var match = Regex.Match(await node.CliAsync("INFO", "commandstats"), $@"cmdstat_{command}:calls=(\d+)");
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    private static async Task<long> ShardSubscribersAsync(RedisServer node, string channel)
    {
        var lines = (await node.CliAsync("PUBSUB", "SHARDNUMSUB", channel)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length >= 2 ? long.Parse(lines[1], CultureInfo.InvariantCulture) : 0;
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Condition not met within {Patience}.");
            await Task.Delay(20);
        }
    }
}
