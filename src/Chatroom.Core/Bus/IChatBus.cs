namespace Chatroom.Core.Bus;

/// <summary>
/// Port: cross-node fan-out. Delivery is at most once; the message log is the record. A backend whose subscriptions
/// can lapse (a reconnect) hands the handler a <see cref="ChatEventTypes.Resync"/> event once it is subscribed again.
/// </summary>
public interface IChatBus
{
    ValueTask PublishAsync(ChatEvent chatEvent, CancellationToken cancellationToken);

    /// <summary>
    /// Receives the events of one room (or of the global channel when <paramref name="room"/> is null)
    /// until the returned handle is disposed.
    /// </summary>
    ValueTask<IAsyncDisposable> SubscribeAsync(string? room, Func<ChatEvent, ValueTask> handler, CancellationToken cancellationToken);
}
