using System.Diagnostics;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Chatroom.Core.Messages;
using Chatroom.Core.Queues;
using Chatroom.Core.Rooms;
using Chatroom.Redis.Bus;
using Chatroom.Redis.Messages;
using Chatroom.Redis.Queues;
using Chatroom.Redis.Rooms;
using Chatroom.Testing.Redis;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Chatroom.Redis.Tests;

/// <summary>Redis killed and restarted under the client: nothing acknowledged is lost, failures are quick and clear, service resumes alone.</summary>
public sealed class DurabilityTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_000);

    [Fact]
    public async Task AcknowledgedMessagesSurviveAKillWithAofAlways()
    {
        await using var server = await RedisServer.StartAsync(["--appendonly", "yes", "--appendfsync", "always"]);
        await using var backend = await TestBackend.ConnectAsync(server.ConnectionString);
        var rooms = new RedisRoomStore(backend.Redis, backend.Options);
        var log = new RedisMessageLog(backend.Redis, backend.Options);
        await rooms.TryCreateAsync(new Room("durable", null, "owner", Now), CancellationToken.None);

        var acknowledged = await Task.WhenAll(Enumerable.Range(1, 300).Select(i =>
            log.AppendAsync(new NewMessage("durable", "u", "U", MessageKind.User, $"m{i}", $"c{i}"), Now, CancellationToken.None)));
        await server.KillAsync();
        await server.RestartAsync();

        var read = await Eventually.AvailableAsync(() => log.ReadAsync("durable", new MessageQuery(null, null, 1000), CancellationToken.None));
        Assert.Equal(acknowledged.Select(a => a.Message.Id).Order(), read.Select(m => m.Id));
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), read.Select(m => m.Id));
        var next = await log.AppendAsync(new NewMessage("durable", "u", "U", MessageKind.User, "after", null), Now, CancellationToken.None);
        Assert.Equal(301, next.Message.Id);
    }

    [Fact]
    public async Task AppendsFailFastWhileRedisIsDownAndResumeWhenItReturns()
    {
        await using var server = await RedisServer.StartAsync(["--appendonly", "yes", "--appendfsync", "always"]);
        await using var backend = await TestBackend.ConnectAsync(server.ConnectionString);
        var rooms = new RedisRoomStore(backend.Redis, backend.Options);
        var log = new RedisMessageLog(backend.Redis, backend.Options);
        await rooms.TryCreateAsync(new Room("outage", null, "owner", Now), CancellationToken.None);
        await log.AppendAsync(new NewMessage("outage", "u", "U", MessageKind.User, "before", null), Now, CancellationToken.None);

        await server.KillAsync();
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<BackendUnavailableException>(() =>
                log.AppendAsync(new NewMessage("outage", "u", "U", MessageKind.User, "during", null), Now, CancellationToken.None));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"The refusal took {clock.Elapsed}.");
            Assert.Contains("Redis", error.Message, StringComparison.Ordinal);
        }

        await server.RestartAsync();
        var after = await Eventually.AvailableAsync(() =>
            log.AppendAsync(new NewMessage("outage", "u", "U", MessageKind.User, "after", "retry-1"), Now, CancellationToken.None));
        Assert.Equal(2, after.Message.Id);
    }

    [Fact]
    public async Task CommandsInFlightFailAtOnceWhenTheConnectionDrops()
    {
        await using var server = await RedisServer.StartAsync();
        await using var backend = await TestBackend.ConnectAsync(server.ConnectionString);
        var queue = new RedisWorkQueue(backend.Redis, Microsoft.Extensions.Options.Options.Create(new QueueOptions()), backend.Options);
        var waiting = queue.ReadAsync("jobs", "w", 1, TimeSpan.FromSeconds(30), CancellationToken.None).AsTask();
        await Task.Delay(300);
        var clock = Stopwatch.StartNew();
        await server.KillAsync();
        await Assert.ThrowsAsync<BackendUnavailableException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task ACommandPastItsTimeoutFailsClearly()
    {
        await using var server = await RedisServer.StartAsync(["--enable-debug-command", "yes"]);
        await using var backend = await TestBackend.ConnectAsync(server.Endpoint + ",syncTimeout=300");
        var rooms = new RedisRoomStore(backend.Redis, backend.Options);
        var sleeping = server.CliAsync("DEBUG", "SLEEP", "3");
        await Task.Delay(200);
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<BackendUnavailableException>(() => rooms.GetAsync("lobby", CancellationToken.None));

        // The library checks for timed-out commands on its heartbeat (every second), so the refusal comes
        // between syncTimeout and syncTimeout + 1 s, still well before the server wakes up.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), $"The timeout took {clock.Elapsed}.");
        Assert.IsType<RedisTimeoutException>(error.InnerException);
        Assert.Contains("did not answer in time", error.Message, StringComparison.Ordinal);
        await sleeping;
        Assert.Null(await Eventually.AvailableAsync(() => rooms.GetAsync("lobby", CancellationToken.None)));
    }

    [Fact]
    public async Task SubscriptionsAreRestoredAfterARestart()
    {
        await using var server = await RedisServer.StartAsync();
        await using var listener = await TestBackend.ConnectAsync(server.ConnectionString);
        var bus = new RedisChatBus(listener.Redis, listener.Options, NullLogger<RedisChatBus>.Instance);
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resync = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await bus.SubscribeAsync("lobby", e =>
        {
            if (e.Type == "after")
            {
                received.TrySetResult();
            }
            else if (e.Type == ChatEventTypes.Resync && e.Room == "lobby")
            {
                resync.TrySetResult();
            }

            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        await server.KillAsync();
        await server.RestartAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!received.Task.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < deadline, "The subscription was not restored.");
            try
            {
                await bus.PublishAsync(new ChatEvent("after", "lobby", ChatJson.ToElement(new { })), CancellationToken.None);
            }
            catch (BackendUnavailableException)
            {
                // Still reconnecting.
            }

            await Task.WhenAny(received.Task, Task.Delay(100));
        }

        // What was published while Redis was down is lost to pub/sub: the handler was told to catch up from the log.
        await resync.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task PortsStartedWhileRedisIsDownWorkWhenItComesUp()
    {
        await using var server = await RedisServer.StartAsync();
        await server.KillAsync();
        await using var backend = await TestBackend.ConnectAsync(server.Endpoint + ",connectTimeout=500");
        var rooms = new RedisRoomStore(backend.Redis, backend.Options);
        await Assert.ThrowsAsync<BackendUnavailableException>(() => rooms.GetAsync("lobby", CancellationToken.None));
        await server.RestartAsync();
        Assert.True(await Eventually.AvailableAsync(() => rooms.TryCreateAsync(new Room("lobby", null, "owner", Now), CancellationToken.None)));
    }
}
