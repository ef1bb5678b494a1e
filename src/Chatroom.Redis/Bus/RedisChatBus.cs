using System.Text.Json;
using System.Threading.Channels;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;
using Chatroom.Redis.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chatroom.Redis.Bus;

/// <summary>
/// Fan-out over Redis pub/sub: PUBLISH/SUBSCRIBE on a single server, sharded SPUBLISH/SSUBSCRIBE on a
/// cluster (a room's channel lives on the shard of its hash tag). Events are JSON; each subscription
/// hands them to its handler in order from a bounded queue, dropping when the handler falls far behind
/// (delivery is at most once; the log is the record).
/// </summary>
public sealed partial class RedisChatBus(RedisClient client, IOptions<RedisBackendOptions> options, ILogger<RedisChatBus> logger) : IChatBus
{
    private const int MaxQueuedEvents = 10_000;

    private readonly RedisKeys _keys = new(options.Value.KeyPrefix);

    public ValueTask PublishAsync(ChatEvent chatEvent, CancellationToken cancellationToken) => RedisPort.GuardValueAsync(async () =>
    {
        var payload = JsonSerializer.Serialize(chatEvent, ChatJson.Options);
        await client.PublishAsync(Channel(chatEvent.Room), payload, cancellationToken);
    });

    public async ValueTask<IAsyncDisposable> SubscribeAsync(string? room, Func<ChatEvent, ValueTask> handler, CancellationToken cancellationToken)
    {
        var queue = System.Threading.Channels.Channel.CreateBounded<string>(new BoundedChannelOptions(MaxQueuedEvents)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropWrite,
        });
        var pump = Task.Run(() => PumpAsync(room, queue.Reader, handler), CancellationToken.None);
        try
        {
            var subscription = await client.SubscribeAsync(Channel(room), (_, payload) =>
            {
                if (!queue.Writer.TryWrite(payload))
                {
                    LogDropped(logger, room);
                }
            }, cancellationToken);
            return new Subscription(subscription, queue.Writer, pump);
        }
        catch (RedisException e)
        {
            queue.Writer.TryComplete();
            await pump;
            throw RedisPort.Unavailable(e);
        }
    }

    private string Channel(string? room) => room is null ? _keys.GlobalChannel : _keys.RoomChannel(room);

    private async Task PumpAsync(string? room, ChannelReader<string> reader, Func<ChatEvent, ValueTask> handler)
    {
        await foreach (var payload in reader.ReadAllAsync())
        {
            try
            {
                var chatEvent = payload == RedisSubscriber.RestoredPayload
                    ? new ChatEvent(ChatEventTypes.Resync, room, default)
                    : JsonSerializer.Deserialize<ChatEvent>(payload, ChatJson.Options);
                if (chatEvent is not null)
                {
                    await handler(chatEvent);
                }
            }
            catch (Exception e)
            {
                LogHandlerFailed(logger, e, room);
            }
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Error, Message = "A chat bus handler for room {Room} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string? room);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Dropped a chat bus event for room {Room}: its handler is too far behind")]
    private static partial void LogDropped(ILogger logger, string? room);

    private sealed class Subscription(IAsyncDisposable subscription, ChannelWriter<string> writer, Task pump) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            await subscription.DisposeAsync();
            writer.TryComplete();
            await pump;
        }
    }
}
