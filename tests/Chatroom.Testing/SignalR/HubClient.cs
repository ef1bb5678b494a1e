using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Chatroom.Testing.SignalR;

/// <summary>
/// A small client of the SignalR JSON hub protocol over <see cref="ClientWebSocket"/> (the .NET SignalR
/// client does not restore here). Invocations (type 1) with completions (type 3), server invocations
/// recorded as events, pings (type 6) and close (type 7). Frames end with the record separator 0x1E.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly List<HubEvent> _events = [];
    private readonly Lock _eventsGate = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _eventArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiveLoop = Task.CompletedTask;
    private Task _pingLoop = Task.CompletedTask;
    private int _nextId;

    private HubClient(ClientWebSocket socket) => _socket = socket;

    /// <summary>Completes with the server's close error (null for a clean close) when the connection ends.</summary>
    public Task<string?> Closed => _closed.Task;

    /// <summary>Connects straight over WebSockets (no negotiate round trip) and completes the handshake.</summary>
    public static async Task<HubClient> ConnectAsync(Uri baseAddress, string hubPath, string? accessToken, CancellationToken cancellationToken = default)
    {
        var scheme = baseAddress.Scheme == "https" ? "wss" : "ws";
        var query = accessToken is null ? string.Empty : "?access_token=" + Uri.EscapeDataString(accessToken);
        var uri = new Uri($"{scheme}://{baseAddress.Authority}{hubPath}{query}");
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(uri, cancellationToken);
        var client = new HubClient(socket);
        await client.SendFrameAsync("{\"protocol\":\"json\",\"version\":1}", cancellationToken);
        var handshake = await client.ReceiveFramesAsync(cancellationToken);
        using (var response = JsonDocument.Parse(handshake[0]))
        {
            if (response.RootElement.TryGetProperty("error", out var error))
            {
                throw new HubHandshakeException(error.GetString() ?? "handshake failed");
            }
        }

        client._receiveLoop = Task.Run(() => client.ReceiveLoopAsync(handshake.Skip(1).ToList()));
        client._pingLoop = Task.Run(client.PingLoopAsync);
        return client;
    }

    /// <summary>Calls a hub method and returns its result; a hub error throws <see cref="HubInvocationException"/>.</summary>
    public async Task<JsonElement> InvokeAsync(string method, params object?[] arguments)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        var frame = new JsonObject
        {
            ["type"] = 1,
            ["invocationId"] = id,
            ["target"] = method,
            ["arguments"] = JsonSerializer.SerializeToNode(arguments, Json),
        };
        await SendFrameAsync(frame.ToJsonString(), _stop.Token);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var registration = timeout.Token.Register(() => completion.TrySetException(new TimeoutException($"{method} got no completion in 30 s")));
        return await completion.Task;
    }

    public async Task<T> InvokeAsync<T>(string method, params object?[] arguments) =>
        (await InvokeAsync(method, arguments)).Deserialize<T>(Json)!;

    /// <summary>Every event received so far, in order.</summary>
    public IReadOnlyList<HubEvent> Events
    {
        get
        {
            lock (_eventsGate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Waits for an event of <paramref name="target"/> matching <paramref name="match"/> (already received ones count).</summary>
    public async Task<JsonElement> WaitForEventAsync(string target, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task arrived;
            lock (_eventsGate)
            {
                foreach (var e in _events)
                {
                    if (e.Target == target && (match is null || match(e.Argument)))
                    {
                        return e.Argument;
                    }
                }

                arrived = _eventArrived.Task;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(arrived, Task.Delay(left)) != arrived)
            {
                throw new TimeoutException($"no '{target}' event matched within the timeout; got: {string.Join(", ", Events.Select(e => e.Target))}");
            }
        }
    }

    /// <summary>Events of <paramref name="target"/> received so far.</summary>
    public IReadOnlyList<JsonElement> EventsOf(string target) => Events.Where(e => e.Target == target).Select(e => e.Argument).ToList();

    /// <summary>Drops the TCP connection without a close handshake, as a crashed client would.</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                _socket.Abort();
            }
        }

        await Task.WhenAll(_receiveLoop, _pingLoop).ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
        _stop.Dispose();
        _sendGate.Dispose();
    }

    private async Task SendFrameAsync(string json, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(json + RecordSeparator);
        await _sendGate.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    private async Task<List<string>> ReceiveFramesAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            var result = await _socket.ReceiveAsync(memory, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "the server closed the connection");
            }

            buffer.Advance(result.Count);
            if (result.EndOfMessage && buffer.WrittenCount > 0 && buffer.WrittenSpan[^1] == (byte)RecordSeparator)
            {
                return Encoding.UTF8.GetString(buffer.WrittenSpan).Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries).ToList();
            }
        }
    }

    private async Task ReceiveLoopAsync(List<string> first)
    {
        string? closeError = null;
        try
        {
            var frames = first;
            while (true)
            {
                foreach (var frame in frames)
                {
                    if (Handle(frame, out var error))
                    {
                        closeError = error;
                        return;
                    }
                }

                frames = await ReceiveFramesAsync(_stop.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            closeError ??= e is OperationCanceledException ? null : e.Message;
        }
        finally
        {
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new HubInvocationException("connection closed"));
            }

            _closed.TrySetResult(closeError);
        }
    }

    /// <summary>Handles one frame; true when it closes the connection.</summary>
    private bool Handle(string frame, out string? closeError)
    {
        closeError = null;
        using var document = JsonDocument.Parse(frame);
        var root = document.RootElement;
        switch (root.GetProperty("type").GetInt32())
        {
            case 1:
                var target = root.GetProperty("target").GetString()!;
                var arguments = root.GetProperty("arguments");
                var argument = arguments.GetArrayLength() > 0 ? arguments[0].Clone() : default;
                lock (_eventsGate)
                {
                    _events.Add(new HubEvent(target, argument, System.Diagnostics.Stopwatch.GetTimestamp()));
                    var arrived = _eventArrived;
                    _eventArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    arrived.TrySetResult();
                }

                return false;
            case 3:
                var id = root.GetProperty("invocationId").GetString()!;
                if (_pending.TryRemove(id, out var completion))
                {
                    if (root.TryGetProperty("error", out var error))
                    {
                        completion.TrySetException(new HubInvocationException(error.GetString() ?? string.Empty));
                    }
                    else
                    {
                        completion.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
                    }
                }

                return false;
            case 7:
                closeError = root.TryGetProperty("error", out var reason) ? reason.GetString() : null;
                return true;
            default:
                return false;
        }
    }

    private async Task PingLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), _stop.Token);
                await SendFrameAsync("{\"type\":6}", _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The connection is closing.
        }
    }
}

/// <summary>A server-to-client invocation: the event name, its first argument and when it arrived (<see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
public sealed record HubEvent(string Target, JsonElement Argument, long ReceivedTimestamp);

/// <summary>
/// A hub method's error. SignalR sends a <c>HubException</c> as
/// "An unexpected error occurred invoking 'X' on the server. HubException: code: sentence".
/// </summary>
public sealed class HubInvocationException(string message) : Exception(message)
{
    private const string Marker = "HubException: ";

    /// <summary>The refusal as the server wrote it: <c>code: sentence</c>.</summary>
    public string Refusal => Message.Contains(Marker, StringComparison.Ordinal)
        ? Message[(Message.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..]
        : Message;

    /// <summary>The stable code before the first colon.</summary>
    public string Code => Refusal.Split(':', 2)[0].Trim();
}

public sealed class HubHandshakeException(string message) : Exception(message);
