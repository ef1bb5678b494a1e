using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Chatroom.Testing.SignalR;

/// <summary>
/// A WebSocket to a hub that speaks SignalR's JSON protocol by hand (frames end with 0x1E), for sending what the real
/// client never would: malformed frames, wrong argument types, floods, bad handshakes. It can connect from another
/// loopback address (127.0.0.2) so an "attacker" and ordinary users are different client addresses on one machine.
/// </summary>
public sealed class RawHubSocket : IAsyncDisposable
{
    public const byte RecordSeparator = 0x1e;

    private readonly ClientWebSocket _socket;
    private readonly HttpMessageInvoker _invoker;
    private readonly List<byte> _pending = [];
    private bool _timedOut;

    private RawHubSocket(ClientWebSocket socket, HttpMessageInvoker invoker)
    {
        _socket = socket;
        _invoker = invoker;
    }

    public WebSocketState State => _socket.State;

    /// <summary>The WebSocket close status the server sent, once it closed.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>Opens the WebSocket (token in the <c>access_token</c> query, as browsers send it) without a handshake.</summary>
    public static async Task<RawHubSocket> OpenAsync(
        Uri baseAddress, string? accessToken, IPAddress? localAddress = null, CancellationToken cancellationToken = default, string? forwardedFor = null)
    {
        var query = accessToken is null ? "" : "?access_token=" + Uri.EscapeDataString(accessToken);
        var uri = new UriBuilder(new Uri(baseAddress, "/hubs/chat" + query)) { Scheme = baseAddress.Scheme == "https" ? "wss" : "ws" }.Uri;
        var invoker = new HttpMessageInvoker(HandlerFrom(localAddress));
        var client = new ClientWebSocket();
        if (forwardedFor is not null)
        {
            client.Options.SetRequestHeader("X-Forwarded-For", forwardedFor);
        }

        try
        {
            await client.ConnectAsync(uri, invoker, cancellationToken);
        }
        catch
        {
            client.Dispose();
            invoker.Dispose();
            throw;
        }

        return new RawHubSocket(client, invoker);
    }

    /// <summary>An HTTP handler whose connections come from <paramref name="localAddress"/> (any loopback address on Linux), or the default one.</summary>
    public static SocketsHttpHandler HandlerFrom(IPAddress? localAddress)
    {
        var handler = new SocketsHttpHandler();
        if (localAddress is not null)
        {
            handler.ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(localAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(localAddress, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        return handler;
    }

    /// <summary>Opens the socket and completes the JSON handshake; throws when the server answers with an error.</summary>
    public static async Task<RawHubSocket> ConnectAsync(Uri baseAddress, string accessToken, IPAddress? localAddress = null, CancellationToken cancellationToken = default)
    {
        var raw = await OpenAsync(baseAddress, accessToken, localAddress, cancellationToken);
        await raw.SendTextAsync("{\"protocol\":\"json\",\"version\":1}\u001e", cancellationToken);
        var response = await raw.ReceiveFrameAsync(TimeSpan.FromSeconds(10));
        if (response is null || response.Value.TryGetProperty("error", out _))
        {
            await raw.DisposeAsync();
            throw new InvalidOperationException($"handshake refused: {response}");
        }

        return raw;
    }

    public Task SendTextAsync(string text, CancellationToken cancellationToken = default) => SendAsync(Encoding.UTF8.GetBytes(text), cancellationToken);

    public async Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    /// <summary>Sends bytes as a binary WebSocket message: SignalR reads it like text, with no UTF-8 check by the WebSocket layer.</summary>
    public async Task SendBinaryAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        await _socket.SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);

    /// <summary>Sends an invocation; <paramref name="argumentsJson"/> is the raw JSON array, so any type or count can go.</summary>
    public Task InvokeAsync(string invocationId, string target, string argumentsJson, CancellationToken cancellationToken = default) =>
        SendTextAsync($"{{\"type\":1,\"invocationId\":\"{invocationId}\",\"target\":\"{target}\",\"arguments\":{argumentsJson}}}\u001e", cancellationToken);

    /// <summary>The next SignalR frame (pings skipped), or null when the server closed the socket first or the time ran out.</summary>
    public async Task<JsonElement?> ReceiveFrameAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var separator = _pending.IndexOf(RecordSeparator);
            if (separator >= 0)
            {
                var frame = _pending.Take(separator).ToArray();
                _pending.RemoveRange(0, separator + 1);
                var element = JsonDocument.Parse(frame).RootElement.Clone();
                if (element.TryGetProperty("type", out var type) && type.GetInt32() == 6)
                {
                    continue;
                }

                return element;
            }

            if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseSent))
            {
                return null;
            }

            try
            {
                var result = await _socket.ReceiveAsync(buffer, cts.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                _pending.AddRange(buffer.AsSpan(0, result.Count).ToArray());
            }
            catch (OperationCanceledException)
            {
                _timedOut = true;
                return null;
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
            {
                return null;
            }
        }
    }

    /// <summary>Reads frames until the completion of <paramref name="invocationId"/>; null if the connection ended first.</summary>
    public async Task<JsonElement?> CompletionAsync(string invocationId, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            var frame = await ReceiveFrameAsync(timeout - deadline.Elapsed);
            if (frame is null)
            {
                return null;
            }

            if (frame.Value.GetProperty("type").GetInt32() == 3 && frame.Value.GetProperty("invocationId").GetString() == invocationId)
            {
                return frame;
            }
        }

        return null;
    }

    /// <summary>
    /// Reads until the server's close message and the end of the socket: the close message (type 7) if one came, and
    /// whether the socket then ended within the timeout; every other frame goes to <paramref name="onFrame"/>.
    /// </summary>
    public async Task<(JsonElement? Close, bool Ended)> ClosedAsync(TimeSpan timeout, Action<JsonElement>? onFrame = null)
    {
        var deadline = Stopwatch.StartNew();
        JsonElement? close = null;
        while (deadline.Elapsed < timeout)
        {
            var frame = await ReceiveFrameAsync(timeout - deadline.Elapsed);
            if (frame is null)
            {
                return (close, !_timedOut);
            }

            if (frame.Value.TryGetProperty("type", out var type) && type.GetInt32() == 7)
            {
                close = frame;
            }
            else
            {
                onFrame?.Invoke(frame.Value);
            }
        }

        return (close, false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException)
            {
                // The server went first; nothing to close.
            }
        }

        _socket.Dispose();
        _invoker.Dispose();
    }
}
