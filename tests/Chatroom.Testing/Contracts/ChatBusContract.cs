using System.Collections.Concurrent;
using Chatroom.Core.Bus;
using Chatroom.Core.Chat;

namespace Chatroom.Testing.Contracts;

/// <summary>What every <see cref="IChatBus"/> must do. Each test gets a fresh bus; <see cref="CreateBusAsync"/> may be called again for a second node.</summary>
public abstract class ChatBusContract : IAsyncLifetime
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    protected IChatBus Bus { get; private set; } = null!;

    /// <summary>Room names unique to this test, so backends shared between tests do not cross-talk.</summary>
    protected string Room { get; } = "bus-" + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync() => Bus = await CreateBusAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A bus; two buses made by one test must reach each other (two nodes of one deployment).</summary>
    protected abstract Task<IChatBus> CreateBusAsync();

    [Fact]
    public async Task DeliversARoomsEventsToItsSubscribersOnly()
    {
        var received = new ConcurrentQueue<ChatEvent>();
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await Bus.SubscribeAsync(Room, e =>
        {
            received.Enqueue(e);
            if (e.Type == "done")
            {
                marker.TrySetResult();
            }

            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        await Bus.PublishAsync(Event(ChatEventTypes.Message, Room + "-other", new { text = "not for you" }), CancellationToken.None);
        await Bus.PublishAsync(Event(ChatEventTypes.Message, Room, new { text = "hello", id = 7 }), CancellationToken.None);
        await Bus.PublishAsync(Event("done", Room, new { }), CancellationToken.None);
        await marker.Task.WaitAsync(Patience);

        Assert.Equal([ChatEventTypes.Message, "done"], received.Select(e => e.Type));
        var first = received.First();
        Assert.Equal(Room, first.Room);
        Assert.Equal("hello", first.Data.GetProperty("text").GetString());
        Assert.Equal(7, first.Data.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task DeliversGlobalEventsToGlobalSubscribers()
    {
        var received = new TaskCompletionSource<ChatEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var tag = Guid.NewGuid().ToString("N");
        await using var subscription = await Bus.SubscribeAsync(null, e =>
        {
            if (e.Data.TryGetProperty("tag", out var t) && t.GetString() == tag)
            {
                received.TrySetResult(e);
            }

            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        await Bus.PublishAsync(Event(ChatEventTypes.System, null, new { tag }), CancellationToken.None);
        var chatEvent = await received.Task.WaitAsync(Patience);
        Assert.Null(chatEvent.Room);
        Assert.Equal(ChatEventTypes.System, chatEvent.Type);
    }

    [Fact]
    public async Task EverySubscriberOfARoomGetsTheEventAndADisposedOneStops()
    {
        var second = await CreateBusAsync();
        var firstCount = 0;
        var secondGot = new ConcurrentQueue<string>();
        var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sub1 = await Bus.SubscribeAsync(Room, e => { Interlocked.Increment(ref firstCount); return ValueTask.CompletedTask; }, CancellationToken.None);
        await using var sub2 = await second.SubscribeAsync(Room, e =>
        {
            secondGot.Enqueue(e.Type);
            if (secondGot.Count == 2)
            {
                both.TrySetResult();
            }

            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        await Bus.PublishAsync(Event("one", Room, new { }), CancellationToken.None);
        await WaitUntilAsync(() => Volatile.Read(ref firstCount) == 1 && !secondGot.IsEmpty);
        await sub1.DisposeAsync();
        await second.PublishAsync(Event("two", Room, new { }), CancellationToken.None);
        await both.Task.WaitAsync(Patience);

        Assert.Equal(["one", "two"], secondGot);
        Assert.Equal(1, Volatile.Read(ref firstCount));
    }

    [Fact]
    public async Task AFailingHandlerDoesNotStopDelivery()
    {
        var got = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await Bus.SubscribeAsync(Room, e => e.Type == "bad"
            ? throw new InvalidOperationException("handler bug")
            : Complete(got), CancellationToken.None);

        await Bus.PublishAsync(Event("bad", Room, new { }), CancellationToken.None);
        await Bus.PublishAsync(Event("good", Room, new { }), CancellationToken.None);
        await got.Task.WaitAsync(Patience);
    }

    protected static ChatEvent Event(string type, string? room, object data) => new(type, room, ChatJson.ToElement(data));

    protected static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold in time.");
            await Task.Delay(10);
        }
    }

    private static ValueTask Complete(TaskCompletionSource source)
    {
        source.TrySetResult();
        return ValueTask.CompletedTask;
    }
}
