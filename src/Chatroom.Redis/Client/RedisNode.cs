using Chatroom.Redis.Protocol;
using Microsoft.Extensions.Logging;

namespace Chatroom.Redis.Client;

/// <summary>
/// A server endpoint and its current connection, reconnecting in the background with exponential
/// backoff and jitter. Until the first attempt ends, callers wait for it; after that, while there is
/// no connection, they fail at once with <see cref="RedisConnectionException"/>.
/// </summary>
internal sealed partial class RedisNode : IAsyncDisposable
{
    private readonly RedisOptions _options;
    private readonly Action<RespValue>? _onPush;
    private readonly Func<RedisNode, RedisConnection, CancellationToken, Task>? _onConnected;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposed = new();
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RedisConnection? _connection;
    private Exception? _lastError;
    private int _connecting;
    private Task _loop = Task.CompletedTask;

    public RedisNode(RedisEndpoint endpoint, RedisOptions options, ILogger logger, Action<RespValue>? onPush = null,
        Func<RedisNode, RedisConnection, CancellationToken, Task>? onConnected = null)
    {
        Endpoint = endpoint;
        _options = options;
        _logger = logger;
        _onPush = onPush;
        _onConnected = onConnected;
        StartConnecting();
    }

    public RedisEndpoint Endpoint { get; }

    public bool IsConnected => Volatile.Read(ref _connection) is { IsAlive: true };

    /// <summary>Completes when the first connection attempt has ended, either way.</summary>
    public Task FirstAttempt => _firstAttempt.Task;

    public bool TryGetConnection(out RedisConnection connection)
    {
        var current = Volatile.Read(ref _connection);
        if (current is { IsAlive: true })
        {
            connection = current;
            return true;
        }

        connection = null!;
        return false;
    }

    public async ValueTask<RedisConnection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        if (TryGetConnection(out var connection))
        {
            return connection;
        }

        if (!_firstAttempt.Task.IsCompleted)
        {
            await _firstAttempt.Task.WaitAsync(cancellationToken);
            if (TryGetConnection(out connection))
            {
                return connection;
            }
        }

        throw NotConnected();
    }

    public RedisConnectionException NotConnected() => new(
        $"Not connected to Redis at {Endpoint} ({Volatile.Read(ref _lastError)?.Message ?? "connecting"}); reconnecting in the background.",
        Volatile.Read(ref _lastError));

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            await connection.DisposeAsync();
        }

        _firstAttempt.TrySetResult();
        _disposed.Dispose();
    }

    private void StartConnecting()
    {
        if (!_disposed.IsCancellationRequested && Interlocked.Exchange(ref _connecting, 1) == 0)
        {
            _loop = Task.Run(ConnectLoopAsync);
        }
    }

    private async Task ConnectLoopAsync()
    {
        var token = _disposed.Token;
        var attempt = 0;
        try
        {
            while (!token.IsCancellationRequested)
            {
                RedisConnection? connection = null;
                try
                {
                    connection = await RedisConnection.ConnectAsync(Endpoint, _options, _onPush, OnClosed, _logger, token);
                    Volatile.Write(ref _connection, connection);
                    Volatile.Write(ref _lastError, null);
                    LogConnected(_logger, Endpoint.ToString(), connection.Protocol);
                    _firstAttempt.TrySetResult();
                    if (_onConnected is not null)
                    {
                        await _onConnected(this, connection, token);
                    }

                    if (connection.IsAlive)
                    {
                        return;
                    }

                    await Task.Delay(Backoff(attempt++), token);
                }
                catch (Exception e) when (!token.IsCancellationRequested)
                {
                    Volatile.Write(ref _lastError, e);
                    _firstAttempt.TrySetResult();
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                    }

                    var delay = Backoff(attempt++);
                    LogConnectFailed(_logger, Endpoint.ToString(), (long)delay.TotalMilliseconds, e.Message);
                    await Task.Delay(delay, token);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed while reconnecting.
        }
        finally
        {
            Volatile.Write(ref _connecting, 0);
        }

        // A connection that broke between the last check and the flag reset is picked up here.
        if (!token.IsCancellationRequested && !IsConnected)
        {
            StartConnecting();
        }
    }

    private void OnClosed(RedisConnection connection, Exception reason)
    {
        if (Interlocked.CompareExchange(ref _connection, null, connection) != connection || _disposed.IsCancellationRequested)
        {
            return;
        }

        Volatile.Write(ref _lastError, reason);
        LogDisconnected(_logger, Endpoint.ToString(), reason.Message);
        StartConnecting();
    }

    private TimeSpan Backoff(int attempt)
    {
        var exponential = _options.ReconnectBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16));
        var capped = Math.Min(exponential, _options.ReconnectMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + Random.Shared.NextDouble()));
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Connected to Redis at {Endpoint} (RESP{Protocol})")]
    private static partial void LogConnected(ILogger logger, string endpoint, int protocol);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Could not connect to Redis at {Endpoint}; retrying in {DelayMs} ms: {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, string endpoint, long delayMs, string reason);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Lost the connection to Redis at {Endpoint}; reconnecting: {Reason}")]
    private static partial void LogDisconnected(ILogger logger, string endpoint, string reason);
}
