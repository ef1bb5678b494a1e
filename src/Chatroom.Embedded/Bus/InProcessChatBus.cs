using System.Collections.Immutable;
using Chatroom.Core.Bus;
using Microsoft.Extensions.Logging;

namespace Chatroom.Embedded.Bus;

/// <summary>Fan-out inside one process: handlers of the event's room (or of the global channel) run in turn.</summary>
public sealed partial class InProcessChatBus(ILogger<InProcessChatBus> logger) : IChatBus
{
    private const string GlobalKey = "\0global";
    private readonly Lock _gate = new();
    private ImmutableDictionary<string, ImmutableArray<Func<ChatEvent, ValueTask>>> _handlers =
        ImmutableDictionary<string, ImmutableArray<Func<ChatEvent, ValueTask>>>.Empty;

    public async ValueTask PublishAsync(ChatEvent chatEvent, CancellationToken cancellationToken)
    {
        if (!_handlers.TryGetValue(chatEvent.Room ?? GlobalKey, out var handlers))
        {
            return;
        }

        foreach (var handler in handlers)
        {
            try
            {
                await handler(chatEvent);
            }
            catch (Exception e)
            {
                LogHandlerFailed(logger, e, chatEvent.Type, chatEvent.Room);
            }
        }
    }

    public ValueTask<IAsyncDisposable> SubscribeAsync(string? room, Func<ChatEvent, ValueTask> handler, CancellationToken cancellationToken)
    {
        var key = room ?? GlobalKey;
        lock (_gate)
        {
            _handlers = _handlers.SetItem(key, _handlers.GetValueOrDefault(key, []).Add(handler));
        }

        return ValueTask.FromResult<IAsyncDisposable>(new Subscription(this, key, handler));
    }

    private void Remove(string key, Func<ChatEvent, ValueTask> handler)
    {
        lock (_gate)
        {
            var remaining = _handlers.GetValueOrDefault(key, []).Remove(handler);
            _handlers = remaining.IsEmpty ? _handlers.Remove(key) : _handlers.SetItem(key, remaining);
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "A {Type} event handler for room {Room} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string type, string? room);

    private sealed class Subscription(InProcessChatBus bus, string key, Func<ChatEvent, ValueTask> handler) : IAsyncDisposable
    {
        private int _disposed;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                bus.Remove(key, handler);
            }

            return ValueTask.CompletedTask;
        }
    }
}
