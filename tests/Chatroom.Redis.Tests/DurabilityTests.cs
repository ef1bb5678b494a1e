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
        var rooms = new RedisRoomStore(backend.Client, backend.Options);
        var log = new RedisMessageLog(backend.Client, backend.Options);
        await rooms.TryCreateAsync(new Room("durable", null, "owner", Now), CancellationToken.None);

        var acknowledged = await Task.WhenAll(Enumerable.Range(1, 300).Select(i =>
            log.AppendAsync(new NewMessage("durable", "u", "U", MessageKind.User, $"m{i}", $"c{i}"), Now, CancellationToken.None)));
        await server.KillAsync();
        await server.RestartAsync();

        var read = await EventuallyAsync(() => log.ReadAsync("durable", new MessageQuery(null, null, 1000), CancellationToken.None));
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
        var rooms = new RedisRoomStore(backend.Client, backend.Options);
        var log = new RedisMessageLog(backend.Client, backend.Options);
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
        var after = await EventuallyAsync(() =>
            log.AppendAsync(new NewMessage("outage", "u", "U", MessageKind.User, "after", "retry-1"), Now, CancellationToken.None));
        Assert.Equal(2, after.Message.Id);
    }

    [Fact]
    public async Task CommandsInFlightFailAtOnceWhenTheConnectionDrops()
    {
        await using var server = await RedisServer.StartAsync();
        await using var backend = await TestBackend.ConnectAsync(server.ConnectionString);
        var queue = new RedisWorkQueue(backend.Client, Microsoft.Extensions.Options.Options.Create(new QueueOptions()), backend.Options);
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
        await using var client = await RedisClient.ConnectAsync(server.Endpoint + ",syncTimeout=300");
        var sleeping = server.CliAsync("DEBUG", "SLEEP", "1.5");
        await Task.Delay(200);
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RedisTimeoutException>(() => client.PingAsync(CancellationToken.None));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.2), $"The timeout took {clock.Elapsed}.");
        Assert.Contains("300 ms", error.Message, StringComparison.Ordinal);
        await sleeping;
        await client.PingAsync(CancellationToken.None);
    }

    [Fact]
    public async Task SubscriptionsAreRestoredAfterARestart()
    {
        await using var server = await RedisServer.StartAsync();
        await using var listener = await TestBackend.ConnectAsync(server.ConnectionString);
        var bus = new RedisChatBus(listener.Client, listener.Options, NullLogger<RedisChatBus>.Instance);
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await bus.SubscribeAsync("lobby", e =>
        {
            if (e.Type == "after")
            {
                received.TrySetResult();
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
    }

    [Fact]
    public async Task AClientStartedWhileRedisIsDownConnectsWhenItComesUp()
    {
        await using var server = await RedisServer.StartAsync();
        await server.KillAsync();
        await using var client = RedisClient.Create(RedisOptions.Parse(server.Endpoint + ",connectTimeout=500"));
        await Assert.ThrowsAsync<RedisConnectionException>(() => client.PingAsync(CancellationToken.None));
        await server.RestartAsync();
        await EventuallyAsync(async () =>
        {
            await client.PingAsync(CancellationToken.None);
            return true;
        });
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> action)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                return await action();
            }
            catch (Exception e) when (e is BackendUnavailableException or RedisException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
