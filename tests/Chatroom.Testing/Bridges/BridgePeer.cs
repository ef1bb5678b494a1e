using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Chatroom.Testing.Bridges;

/// <summary>
/// The other chat a bridge connects to: a real WebSocket server on loopback (Kestrel) at <c>/bridge</c> that records
/// every text frame and the <c>Authorization</c> header, sends what a test tells it to, and can be stopped and started
/// again on the same port (a peer restart).
/// </summary>
public sealed class BridgePeer : IAsyncDisposable
{
    private readonly ConcurrentQueue<JsonElement> _frames = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private WebApplication? _app;
    private volatile WebSocket? _socket;
    private int _connections;

    private BridgePeer(int port) => Port = port;

    public int Port { get; }

    /// <summary>What a bridge's <c>Url</c> is set to.</summary>
    public string Url => $"ws://127.0.0.1:{Port}/bridge";

    /// <summary>The JSON text frames received, in order (over every connection).</summary>
    public IReadOnlyList<JsonElement> Frames => [.. _frames];

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The <c>Authorization</c> header of the latest connection.</summary>
    public string? Authorization { get; private set; }

    public static async Task<BridgePeer> StartAsync(int port)
    {
        var peer = new BridgePeer(port);
        await peer.StartAsync();
        return peer;
    }

    /// <summary>The peer goes away: the connection is cut and nothing listens on the port until <see cref="StartAsync()"/>.</summary>
    public async Task StopAsync()
    {
        _socket?.Abort();
        _socket = null;
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Listens (again) on <see cref="Port"/>.</summary>
    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, Port));
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(5));
        var app = builder.Build();
        app.UseWebSockets();
        app.Map("/bridge", AcceptAsync);
        await app.StartAsync();
        _app = app;
    }

    /// <summary>Waits (polling, generous deadline) for a frame matching <paramref name="match"/>.</summary>
    public async Task<JsonElement> WaitForFrameAsync(string what, Func<JsonElement, bool> match, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            if (_frames.FirstOrDefault(match) is { ValueKind: not JsonValueKind.Undefined } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the peer got no {what}; it got: {string.Join(" | ", _frames.Select(f => f.GetRawText()))}");
            await Task.Delay(50);
        }
    }

    /// <summary>Messages received with this text, in order.</summary>
    public IReadOnlyList<JsonElement> MessagesWithText(string text) =>
        [.. _frames.Where(f => Is(f, "type", "message") && Is(f, "text", text))];

    public Task SendAsync(object frame) => SendRawAsync(JsonSerializer.Serialize(frame, new JsonSerializerOptions(JsonSerializerDefaults.Web)));

    public Task SendRawAsync(string text) => SendBytesAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public Task SendBinaryAsync(byte[] bytes) => SendBytesAsync(bytes, WebSocketMessageType.Binary);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _sending.Dispose();
    }

    public static bool Is(JsonElement frame, string property, string value) =>
        frame.ValueKind == JsonValueKind.Object && frame.TryGetProperty(property, out var found) && found.ValueKind == JsonValueKind.String
        && found.GetString() == value;

    private async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (_socket is not { State: WebSocketState.Open })
        {
            Assert.True(DateTime.UtcNow < deadline, "no bridge connected to the peer");
            await Task.Delay(50);
        }

        await _sending.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, type, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        Authorization = context.Request.Headers.Authorization;
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        _socket = socket;
        Interlocked.Increment(ref _connections);
        var buffer = new byte[1024 * 1024];
        try
        {
            while (true)
            {
                var count = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), context.RequestAborted);
                    count += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }

                _frames.Enqueue(JsonDocument.Parse(buffer.AsMemory(0, count)).RootElement.Clone());
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The peer was stopped (the socket aborted) or the bridge went away.
        }
    }
}
