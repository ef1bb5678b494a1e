using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Core.Messages;
using Chatroom.Core.Queues;
using Chatroom.Core.Rooms;
using Chatroom.Redis.Bus;
using Chatroom.Redis.Messages;
using Chatroom.Redis.Queues;
using Chatroom.Redis.Rooms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chatroom.Redis.Tests;

/// <summary>The chat service over the Redis ports as a socket server wires it, with the send path registered.</summary>
internal sealed class SendPathRig : IAsyncDisposable
{
    private readonly ServiceProvider _meters;
    private readonly RedisChatBus _bus;

    public SendPathRig(TestBackend backend)
    {
        Backend = backend;
        _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new ChatMetrics(_meters.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var queueOptions = Options.Create(new QueueOptions());
        Rooms = new RedisRoomStore(backend.Redis, backend.Options);
        Log = new RedisMessageLog(backend.Redis, backend.Options, queueOptions);
        Queue = new RedisWorkQueue(backend.Redis, queueOptions, backend.Options);
        _bus = new RedisChatBus(backend.Redis, backend.Options, NullLogger<RedisChatBus>.Instance);
        Chat = new ChatService(Rooms, Log, _bus, Queue, new QueueRetry(Queue, metrics, TimeProvider.System, NullLogger<QueueRetry>.Instance),
            Options.Create(new ChatOptions()), metrics, new LoopGuard(Options.Create(new IntegrationOptions()), metrics), TimeProvider.System,
            NullLogger<ChatService>.Instance, Log);
    }

    public TestBackend Backend { get; }

    public RedisRoomStore Rooms { get; }

    public RedisMessageLog Log { get; }

    public RedisWorkQueue Queue { get; }

    public IChatBus Bus => _bus;

    public ChatService Chat { get; }

    public Task<AppendResult> SendAsync(string room, string text, string? clientId = null) =>
        Chat.PostAsync(new NewMessage(room, "u1", "Uma", MessageKind.User, text, clientId), CancellationToken.None);

    /// <summary>The message ids in a queue's stream, read straight from Redis (entries are not consumed).</summary>
    public async Task<List<long>> QueuedIdsAsync(string queue, string room)
    {
        var entries = await Backend.Database.StreamRangeAsync(new RedisKeys(Backend.Options.Value.KeyPrefix).QueueStream(queue));
        return [.. entries.Where(e => (string?)e["r"] == room).Select(e => (long)e["m"])];
    }

    public async ValueTask DisposeAsync()
    {
        _bus.Dispose();
        await _meters.DisposeAsync();
    }
}
