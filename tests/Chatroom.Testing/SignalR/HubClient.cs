using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Chatroom.Core.Bus;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chatroom.Testing.SignalR;

/// <summary>
/// A hub connection for tests and the load tool: the SignalR .NET client (<see cref="HubConnection"/>, JSON protocol,
/// WebSockets without negotiation) that records every server event in arrival order and turns hub errors into
/// <see cref="HubInvocationException"/> carrying the refusal code.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    /// <summary>The server events recorded (those docs/protocol.md lists); the client drops targets it has no handler for.</summary>
    public static readonly IReadOnlyList<string> RecordedEvents =
    [
        ChatEventTypes.Message, ChatEventTypes.MessageHidden, ChatEventTypes.Presence, ChatEventTypes.Typing,
        ChatEventTypes.AgentDelta, ChatEventTypes.System, ChatEventTypes.Analysis, "roomUpdated", "roomCreated",
        ChatEventTypes.ConversationRequest, ChatEventTypes.RoomInvite,
    ];

    private const string ServerCloseMarker = "The server closed the connection with the following error: ";
    private static readonly TimeSpan InvokeTimeout = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HubConnection _connection;
    private readonly List<HubEvent> _events = [];
    private readonly Lock _eventsGate = new();
    private readonly TaskCompletionSource<string?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _eventArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebSocket? _socket;

    private HubClient(Uri hubUri, string? accessToken)
    {
        _connection = new HubConnectionBuilder()
            .WithUrl(hubUri, HttpTransportType.WebSockets, options =>
            {
                options.SkipNegotiation = true;
                options.AccessTokenProvider = () => Task.FromResult(accessToken);
                // Our own factory only to keep a handle on the socket for Abort(); it does what the default one does.
                options.WebSocketFactory = ConnectSocketAsync;
            })
            .Build();
        foreach (var target in RecordedEvents)
        {
            _connection.On(target, [typeof(JsonElement)], Record, target);
        }

        _connection.Closed += error =>
        {
            _closed.TrySetResult(CloseError(error));
            return Task.CompletedTask;
        };
    }

    /// <summary>Completes with the server's close error (null for a clean close) when the connection ends.</summary>
    public Task<string?> Closed => _closed.Task;

    /// <summary>The underlying SignalR client connection, for calls this wrapper does not cover.</summary>
    public HubConnection Connection => _connection;

    /// <summary>Connects straight over WebSockets (no negotiate round trip) and completes the handshake.</summary>
    public static async Task<HubClient> ConnectAsync(Uri baseAddress, string hubPath, string? accessToken, CancellationToken cancellationToken = default)
    {
        var client = new HubClient(new Uri(baseAddress, hubPath), accessToken);
        try
        {
            await client._connection.StartAsync(cancellationToken);
        }
        catch (HubException e) when (e.Message.Contains("handshake", StringComparison.OrdinalIgnoreCase))
        {
            await client._connection.DisposeAsync();
            throw new HubHandshakeException(e.Message, e);
        }
        catch
        {
            await client._connection.DisposeAsync();
            throw;
        }

        return client;
    }

    /// <summary>Calls a hub method and returns its result; a hub error throws <see cref="HubInvocationException"/>.</summary>
    public Task<JsonElement> InvokeAsync(string method, params object?[] arguments) =>
        InvokeAsync(method, arguments, CancellationToken.None);

    /// <summary>Calls a hub method and returns its result; a hub error throws <see cref="HubInvocationException"/>.</summary>
    public async Task<JsonElement> InvokeAsync(string method, object?[] arguments, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(InvokeTimeout);
        try
        {
            var result = await _connection.InvokeCoreAsync(method, typeof(JsonElement), arguments, timeout.Token);
            return result is JsonElement element ? element : default;
        }
        catch (HubException e)
        {
            throw new HubInvocationException(e.Message, e);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} got no completion in {InvokeTimeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or WebSocketException or IOException
                                  && !cancellationToken.IsCancellationRequested)
        {
            // The connection ended (or was never up) before the completion arrived.
            throw new HubInvocationException("connection closed: " + e.Message, e);
        }
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
    public void Abort() => _socket?.Abort();

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private Task Record(object?[] arguments, object state)
    {
        var argument = arguments.Length > 0 && arguments[0] is JsonElement element ? element : default;
        lock (_eventsGate)
        {
            _events.Add(new HubEvent((string)state, argument, Stopwatch.GetTimestamp()));
            var arrived = _eventArrived;
            _eventArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            arrived.TrySetResult();
        }

        return Task.CompletedTask;
    }

    private async ValueTask<WebSocket> ConnectSocketAsync(WebSocketConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        var token = context.Options.AccessTokenProvider is { } provider ? await provider() : null;
        if (!string.IsNullOrEmpty(token))
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        }

        var uri = new UriBuilder(context.Uri) { Scheme = context.Uri.Scheme switch { "https" => "wss", "http" => "ws", var s => s } }.Uri;
        try
        {
            await socket.ConnectAsync(uri, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
        return socket;
    }

    private static string? CloseError(Exception? error) => error switch
    {
        null => null,
        HubException e when e.Message.StartsWith(ServerCloseMarker, StringComparison.Ordinal) => e.Message[ServerCloseMarker.Length..],
        _ => error.Message,
    };
}

/// <summary>A server-to-client invocation: the event name, its first argument and when it arrived (<see cref="Stopwatch"/> timestamp).</summary>
public sealed record HubEvent(string Target, JsonElement Argument, long ReceivedTimestamp);

/// <summary>
/// A hub method's error. SignalR sends a <c>HubException</c> as
/// "An unexpected error occurred invoking 'X' on the server. HubException: code: sentence".
/// </summary>
public sealed class HubInvocationException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    private const string Marker = "HubException: ";

    /// <summary>The refusal as the server wrote it: <c>code: sentence</c>.</summary>
    public string Refusal => Message.Contains(Marker, StringComparison.Ordinal)
        ? Message[(Message.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..]
        : Message;

    /// <summary>The stable code before the first colon.</summary>
    public string Code => Refusal.Split(':', 2)[0].Trim();
}

/// <summary>The server refused the SignalR handshake.</summary>
public sealed class HubHandshakeException(string message, Exception? innerException = null) : Exception(message, innerException);
