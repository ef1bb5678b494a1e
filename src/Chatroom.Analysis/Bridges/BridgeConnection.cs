using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

namespace Chatroom.Analysis.Bridges;

/// <summary>
/// One open connection to the peer: says hello, then receives (frames to <see cref="BridgeInbound"/>) and sends (the
/// outbox, pings, pongs) until either side fails or the peer closes. Sends are serialised: a WebSocket takes one at a time.
/// </summary>
public sealed class BridgeConnection(string name, BridgeOptions bridge, WebSocket socket, BridgeInbound inbound, BridgeOutbox outbox,
    Channel<bool> wake, TimeProvider time)
{
    /// <summary>What is left of a frame over the limit is read in pieces this large and thrown away.</summary>
    private const int DiscardBufferBytes = 4096;

    private readonly SemaphoreSlim _sending = new(1, 1);

    /// <summary>Runs until the connection ends: returns when the peer closes it, throws when it breaks.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await SendAsync(new BridgeFrame(BridgeFrame.Hello, Bridge: name, Channels: [.. bridge.RoomMap.Values]), session.Token);
        outbox.MarkAllDue();
        var receiving = ReceiveAsync(session.Token);
        var sending = SendOutboxAsync(session.Token);
        var first = await Task.WhenAny(receiving, sending);
        await session.CancelAsync();
        try
        {
            await (first == receiving ? sending : receiving);
        }
        catch (Exception) when (session.IsCancellationRequested)
        {
            // The loop that ended first says why; the other one only stopped because of it.
        }

        await first;
    }

    private async Task SendAsync(BridgeFrame frame, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(frame, BridgeFrame.Json);
        await _sending.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[bridge.MaxMessageBytes];
        var discard = new byte[DiscardBufferBytes];
        while (true)
        {
            var count = 0;
            long total = 0;
            var tooLarge = false;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(tooLarge ? discard.AsMemory() : buffer.AsMemory(count), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                    return;
                }

                total += result.Count;
                if (!tooLarge)
                {
                    count += result.Count;

                    // A full buffer with more to come: the frame is over the limit, and the rest is never kept.
                    tooLarge = count == buffer.Length && !result.EndOfMessage;
                }
            }
            while (!result.EndOfMessage);

            if (tooLarge)
            {
                inbound.TooLarge(total);
            }
            else if (result.MessageType == WebSocketMessageType.Binary)
            {
                inbound.Binary();
            }
            else if (await inbound.HandleAsync(buffer.AsMemory(0, count), cancellationToken) is { } reply)
            {
                await SendAsync(reply, cancellationToken);
            }
        }
    }

    private async Task SendOutboxAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await outbox.SendDueAsync(SendAsync, cancellationToken);
            try
            {
                await wake.Reader.WaitToReadAsync(cancellationToken).AsTask().WaitAsync(bridge.PingInterval, time, cancellationToken);
                wake.Reader.TryRead(out _);
            }
            catch (TimeoutException)
            {
                // Idle: a ping keeps proxies from closing the connection, and every room is looked at again in case the
                // bus (at most once) lost an event.
                await SendAsync(new BridgeFrame(BridgeFrame.Ping), cancellationToken);
                outbox.MarkAllDue();
            }
        }
    }
}
